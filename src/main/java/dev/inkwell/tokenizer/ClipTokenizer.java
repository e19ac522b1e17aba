package dev.inkwell.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, giving exactly the ids of HF's slow {@code CLIPTokenizer} with ftfy
 * installed (what Stable Diffusion pipelines feed their text encoders).
 *
 * <p>By default ({@link TextNormalization#HUGGING_FACE}) the text is split around special and added
 * tokens, then each piece is cleaned with {@link TextFixer#fixText ftfy}, whitespace-collapsed and
 * lower-cased, cut by CLIP's pre-tokenisation regex and byte-pair encoded. With
 * {@link TextNormalization#OPENAI} it follows openai/CLIP's {@code SimpleTokenizer} instead, which also
 * decodes HTML entities twice after ftfy (so "fish &amp;amp chips" reads "fish &amp; chips") and splits
 * no added tokens.
 *
 * <p>A pad token of "!" (SD 2.x, SDXL's second tokenizer) is an added token in HF, so every "!" in the
 * text becomes its own token, id 0, instead of being merged ("!!!" is three tokens, not one).
 *
 * <p>Unicode properties (letters, digits, case mappings, NFC) come from the JDK, Unicode 13.0 in Java 17,
 * so letters and digits assigned in later Unicode versions are classed differently than in Python.
 *
 * <p>Instances are immutable and thread-safe; the BPE cache is concurrent.
 */
public final class ClipTokenizer {

    private static final String OPENAI_VOCABULARY = "bpe_simple_vocab_16e6.txt.gz";
    /** OpenAI's licence of that vocabulary, which travels with every copy of it. */
    private static final String OPENAI_VOCABULARY_LICENCE = "LICENSE";

    /**
     * CLIP's pre-tokenisation regex. Python's {@code regex} module, case-insensitive, lets no branch
     * match U+0345 (a combining mark whose case folding is the letter iota), so the character is
     * dropped; excluding it from the last class reproduces that.
     */
    private static final Pattern PRE_TOKENIZER = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}\\x{345}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<String, Integer> vocab;
    private final String[] tokensById;
    private final BytePairEncoder bpe;
    private final TokenizerConfig config;
    /** Tokens split off before normalisation, longest first so the longest match wins. */
    private final List<String> addedTokens;
    private final Map<String, Integer> addedIds;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;
    private final TextNormalization normalization;

    private ClipTokenizer(Map<String, Integer> vocab, BytePairEncoder bpe, TokenizerConfig config,
                          TextNormalization normalization, String source) {
        this.vocab = Collections.unmodifiableMap(vocab);
        this.bpe = bpe;
        this.config = config;
        this.normalization = normalization;
        Map<String, Integer> added = new HashMap<>(config.addedTokens());
        for (String special : List.of(config.bos(), config.eos(), config.unk(), config.pad())) {
            Integer id = added.containsKey(special) ? added.get(special) : vocab.get(special);
            if (id == null) {
                throw new IllegalArgumentException(source + ": special token '" + special + "' is not in the vocabulary");
            }
            added.put(special, id);
        }
        this.addedIds = Map.copyOf(added);
        List<String> byLength = new ArrayList<>(added.keySet());
        byLength.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        this.addedTokens = List.copyOf(byLength);
        this.bosId = added.get(config.bos());
        this.eosId = added.get(config.eos());
        this.padId = added.get(config.pad());
        this.unkId = added.get(config.unk());
        int maxId = Math.max(Collections.max(vocab.values()), Collections.max(added.values()));
        this.tokensById = new String[maxId + 1];
        vocab.forEach((token, id) -> tokensById[id] = token);
        added.forEach((token, id) -> tokensById[id] = token);
    }

    /**
     * Loads a diffusers {@code tokenizer/} or {@code tokenizer_2/} folder: vocab.json, merges.txt and
     * tokenizer_config.json and/or special_tokens_map.json.
     *
     * @throws IllegalArgumentException if a file is missing or malformed (the message names it)
     */
    public static ClipTokenizer fromDirectory(Path dir) {
        Map<String, Integer> vocab = TokenizerFiles.readVocab(dir.resolve(TokenizerFiles.VOCAB_FILE));
        List<SymbolPair> merges = TokenizerFiles.readMerges(dir.resolve(TokenizerFiles.MERGES_FILE));
        return new ClipTokenizer(vocab, new BytePairEncoder(merges), TokenizerFiles.readConfig(dir),
                TextNormalization.HUGGING_FACE, dir.toString());
    }

    /**
     * Builds the tokenizer from OpenAI's gzipped BPE file the way openai/CLIP does: the 256 byte
     * symbols, the same with {@code </w>}, one token per merge, then the start and end tokens.
     *
     * @param padToken "&lt;|endoftext|&gt;" for SD 1.x and SDXL's first tokenizer, "!" for SD 2.x and SDXL's second
     */
    public static ClipTokenizer fromClipVocabulary(InputStream gz, String padToken) {
        Objects.requireNonNull(padToken, "padToken");
        List<SymbolPair> merges = TokenizerFiles.readGzipMerges(gz, "CLIP BPE vocabulary");
        List<String> tokens = new ArrayList<>(BytePairEncoder.alphabet());
        BytePairEncoder.alphabet().forEach(symbol -> tokens.add(symbol + BytePairEncoder.END_OF_WORD));
        merges.forEach(merge -> tokens.add(merge.joined()));
        tokens.add(TokenizerConfig.START_OF_TEXT);
        tokens.add(TokenizerConfig.END_OF_TEXT);
        // a token's id is its position in the list; like Python's dict, a repeated token keeps its last
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        return new ClipTokenizer(vocab, new BytePairEncoder(merges), TokenizerConfig.clipDefaults(padToken),
                TextNormalization.HUGGING_FACE, "CLIP BPE vocabulary");
    }

    /** CLIP's vocabulary shipped on the classpath, padding with "&lt;|endoftext|&gt;" (SD 1.x). */
    public static ClipTokenizer openAiDefault() {
        return openAiDefault(TokenizerConfig.END_OF_TEXT);
    }

    /** CLIP's vocabulary shipped on the classpath, with the given pad token. */
    public static ClipTokenizer openAiDefault(String padToken) {
        try (InputStream in = ClipTokenizer.class.getResourceAsStream(OPENAI_VOCABULARY)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + OPENAI_VOCABULARY);
            }
            return fromClipVocabulary(in, padToken);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + OPENAI_VOCABULARY, e);
        }
    }

    /**
     * This tokenizer with {@code tokens} added after the last id, in order, as transformers'
     * {@code add_tokens} does for a learned concept: each is split off the text before BPE, like
     * the special tokens.
     *
     * @throws IllegalArgumentException if a token is already in the vocabulary
     */
    public ClipTokenizer withAddedTokens(List<String> tokens) {
        Map<String, Integer> added = new HashMap<>(config.addedTokens());
        int next = tokensById.length;
        for (String token : tokens) {
            if (token.isBlank() || vocab.containsKey(token) || addedIds.containsKey(token) || added.containsKey(token)) {
                throw new IllegalArgumentException("the token '" + token + "' is blank or already in the vocabulary");
            }
            added.put(token, next++);
        }
        TokenizerConfig more = new TokenizerConfig(config.bos(), config.eos(), config.unk(), config.pad(), config.maxLength(), added);
        return new ClipTokenizer(vocab, bpe, more, normalization, "tokenizer");
    }

    /** The same vocabulary and special tokens with another text normalisation. */
    public ClipTokenizer withNormalization(TextNormalization normalization) {
        Objects.requireNonNull(normalization, "normalization");
        if (normalization == this.normalization) {
            return this;
        }
        return new ClipTokenizer(vocab, bpe, config, normalization, "tokenizer");
    }

    /** Writes the licence of {@link #openAiDefault}'s vocabulary to {@code dir/LICENSE}, beside a saved copy of it. */
    public static void saveOpenAiLicence(Path dir) throws IOException {
        try (InputStream in = ClipTokenizer.class.getResourceAsStream(OPENAI_VOCABULARY_LICENCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + OPENAI_VOCABULARY_LICENCE);
            }
            Files.createDirectories(dir);
            Files.copy(in, dir.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes this tokenizer as a diffusers {@code tokenizer/} folder (vocab.json, merges.txt,
     * tokenizer_config.json), which {@link #fromDirectory} reads back as the same tokenizer.
     */
    public void save(Path dir) throws IOException {
        TokenizerFiles.write(dir, vocab, bpe.merges(), config);
    }

    /** Token ids wrapped in start and end tokens, without truncation or padding. */
    public int[] encode(String text) {
        List<Integer> body = bpeTokens(text);
        int[] ids = new int[body.size() + 2];
        ids[0] = bosId;
        for (int i = 0; i < body.size(); i++) {
            ids[i + 1] = body.get(i);
        }
        ids[ids.length - 1] = eosId;
        return ids;
    }

    /**
     * What a text encoder takes: start token, the first {@code maxLength() - 2} token ids, end token,
     * then pad ids up to {@link #maxLength()}.
     */
    public int[] encodeForModel(String text) {
        List<Integer> body = bpeTokens(text);
        int kept = Math.min(body.size(), config.maxLength() - 2);
        int[] ids = new int[config.maxLength()];
        Arrays.fill(ids, padId);
        ids[0] = bosId;
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = body.get(i);
        }
        ids[kept + 1] = eosId;
        return ids;
    }

    /** {@link #encodeForModel(String)} of each text, as the {@code long} rows a text encoder takes. */
    public long[][] encodeForModel(List<String> texts) {
        return texts.stream().map(t -> Arrays.stream(encodeForModel(t)).asLongStream().toArray()).toArray(long[][]::new);
    }

    /**
     * Token ids of the text alone, without start or end token and untruncated; for callers that
     * chunk long prompts or locate sub-prompts themselves.
     */
    public List<Integer> bpeTokens(String text) {
        List<Integer> ids = new ArrayList<>();
        if (normalization == TextNormalization.OPENAI) {
            appendWordIds(openAiClean(text), ids);
            return Collections.unmodifiableList(ids);
        }
        int start = 0;
        int pos = 0;
        while (pos < text.length()) {
            String added = addedTokenAt(text, pos);
            if (added == null) {
                pos++;
                continue;
            }
            appendPieceIds(text.substring(start, pos), ids);
            ids.add(addedIds.get(added));
            pos += added.length();
            start = pos;
        }
        appendPieceIds(text.substring(start), ids);
        return Collections.unmodifiableList(ids);
    }

    /** BPE token strings of ids, e.g. "cat&lt;/w&gt;"; byte symbols stand for non-ASCII bytes. */
    public List<String> tokenStrings(int[] ids) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            tokens.add(tokenString(id));
        }
        return Collections.unmodifiableList(tokens);
    }

    /** The token string of one id. */
    public String tokenString(int id) {
        if (id < 0 || id >= tokensById.length || tokensById[id] == null) {
            throw new IllegalArgumentException("no token with id " + id);
        }
        return tokensById[id];
    }

    /**
     * Text back from ids: special and added tokens are skipped, bytes are decoded as UTF-8 (invalid
     * sequences become U+FFFD) and word ends become spaces. Normalisation is not undone.
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            if (!addedIds.containsValue(id)) {
                symbols.append(tokenString(id));
            }
        }
        byte[] bytes = BytePairEncoder.fromByteSymbols(symbols.toString());
        return new String(bytes, StandardCharsets.UTF_8).replace(BytePairEncoder.END_OF_WORD, " ").strip();
    }

    /** The id of a token string (a vocabulary entry such as "cat&lt;/w&gt;" or an added token). */
    public OptionalInt idOf(String token) {
        Integer id = addedIds.containsKey(token) ? addedIds.get(token) : vocab.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    /** Sequence length for the text encoder, start and end tokens included (77 for CLIP). */
    public int maxLength() {
        return config.maxLength();
    }

    /** Number of vocabulary entries (49408 for CLIP), as HF's {@code vocab_size}. */
    public int vocabSize() {
        return vocab.size();
    }

    public TextNormalization normalization() {
        return normalization;
    }

    private String addedTokenAt(String text, int pos) {
        for (String token : addedTokens) {
            if (text.startsWith(token, pos)) {
                return token;
            }
        }
        return null;
    }

    private void appendPieceIds(String piece, List<Integer> ids) {
        if (!piece.isEmpty()) {
            appendWordIds(PythonStrings.lower(whitespaceClean(TextFixer.fixText(piece))), ids);
        }
    }

    /** Pre-tokenises normalised text and appends the ids of each word's BPE symbols. */
    private void appendWordIds(String normalized, List<Integer> ids) {
        Matcher m = PRE_TOKENIZER.matcher(normalized);
        while (m.find()) {
            String word = m.group();
            if (word.equals(TokenizerConfig.START_OF_TEXT) || word.equals(TokenizerConfig.END_OF_TEXT)) {
                ids.add(tokenId(word));
                continue;
            }
            for (String symbol : bpe.encode(BytePairEncoder.toByteSymbols(word))) {
                ids.add(tokenId(symbol));
            }
        }
    }

    /** HF's lookup: added tokens first, then the vocabulary, else the unknown token. */
    private int tokenId(String token) {
        Integer id = addedIds.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id == null ? unkId : id;
    }

    private static String openAiClean(String text) {
        String cleaned = HtmlEntities.unescape(HtmlEntities.unescape(TextFixer.fixText(text)));
        return PythonStrings.lower(whitespaceClean(cleaned));
    }

    /** Collapses whitespace runs to one space and strips the ends, as CLIP's {@code whitespace_clean}. */
    private static String whitespaceClean(String text) {
        return PythonStrings.strip(WHITESPACE_RUN.matcher(text).replaceAll(" "));
    }
}
