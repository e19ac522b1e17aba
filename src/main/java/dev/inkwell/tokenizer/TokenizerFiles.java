package dev.inkwell.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads the files a CLIP tokenizer is made of, failing with messages that name the file. */
final class TokenizerFiles {

    /** CLIP keeps 49152 - 256 - 2 merges of its BPE file: the vocabulary has room for no more. */
    static final int MERGE_COUNT = 49152 - 256 - 2;

    static final String VOCAB_FILE = "vocab.json";
    static final String MERGES_FILE = "merges.txt";
    static final String CONFIG_FILE = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerFiles() {
    }

    static Map<String, Integer> readVocab(Path file) {
        requireFile(file);
        try {
            Map<String, Integer> vocab = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() { });
            if (vocab == null || vocab.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no vocabulary");
            }
            if (vocab.containsValue(null) || vocab.values().stream().anyMatch(id -> id < 0)) {
                throw new IllegalArgumentException(file + " maps a token to no id or a negative id");
            }
            return vocab;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not a JSON object of token to id: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<SymbolPair> readMerges(Path file) {
        requireFile(file);
        try {
            return parseMerges(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads OpenAI's gzipped BPE file ({@code bpe_simple_vocab_16e6.txt.gz}). */
    static List<SymbolPair> readGzipMerges(InputStream gz, String source) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(gz), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null && lines.size() <= MERGE_COUNT; line = reader.readLine()) {
                lines.add(line);
            }
            return parseMerges(lines, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gzipped BPE merges from " + source, e);
        }
    }

    /**
     * Line 1 is the {@code #version} header, as in HF and openai/CLIP, which skip it unread; then
     * the first {@link #MERGE_COUNT} lines hold one merge each, two space-separated symbols.
     */
    private static List<SymbolPair> parseMerges(List<String> lines, String source) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty; expected a '#version' line and BPE merges");
        }
        List<SymbolPair> merges = new ArrayList<>(MERGE_COUNT);
        int last = Math.min(lines.size() - 1, MERGE_COUNT);
        for (int lineNo = 1; lineNo <= last; lineNo++) {
            String line = lines.get(lineNo).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(source + " line " + (lineNo + 1)
                        + ": expected two space-separated symbols, got '" + line + "'");
            }
            merges.add(new SymbolPair(parts[0], parts[1]));
        }
        if (merges.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no BPE merges");
        }
        return merges;
    }

    /**
     * The special tokens as HF resolves them: special_tokens_map.json overrides tokenizer_config.json,
     * and CLIPTokenizer's defaults fill what neither sets. At least one of the two files must exist.
     */
    /**
     * Writes a diffusers {@code tokenizer/} folder that {@link #readVocab}, {@link #readMerges} and
     * {@link #readConfig} (and Hugging Face's CLIPTokenizer) read back as the same tokenizer.
     */
    static void write(Path dir, Map<String, Integer> vocab, List<SymbolPair> merges, TokenizerConfig config)
            throws IOException {
        Files.createDirectories(dir);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(vocab.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        Map<String, Integer> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        Files.writeString(dir.resolve(VOCAB_FILE), JSON.writeValueAsString(ordered), StandardCharsets.UTF_8);
        StringBuilder lines = new StringBuilder("#version: 0.2\n");
        merges.forEach(m -> lines.append(m.left()).append(' ').append(m.right()).append('\n'));
        Files.writeString(dir.resolve(MERGES_FILE), lines, StandardCharsets.UTF_8);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tokenizer_class", "CLIPTokenizer");
        settings.put("bos_token", config.bos());
        settings.put("eos_token", config.eos());
        settings.put("unk_token", config.unk());
        settings.put("pad_token", config.pad());
        settings.put("model_max_length", config.maxLength());
        settings.put("do_lower_case", true);
        Files.writeString(dir.resolve(CONFIG_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings),
                StandardCharsets.UTF_8);
    }

    static TokenizerConfig readConfig(Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path specialFile = dir.resolve(SPECIAL_TOKENS_FILE);
        JsonNode config = Files.isRegularFile(configFile) ? readJsonObject(configFile) : null;
        JsonNode special = Files.isRegularFile(specialFile) ? readJsonObject(specialFile) : null;
        if (config == null && special == null) {
            throw new IllegalArgumentException("missing tokenizer configuration: neither " + configFile
                    + " nor " + specialFile + " exists");
        }
        TokenizerConfig defaults = TokenizerConfig.clipDefaults(TokenizerConfig.END_OF_TEXT);
        return new TokenizerConfig(
                token("bos_token", defaults.bos(), config, configFile, special, specialFile),
                token("eos_token", defaults.eos(), config, configFile, special, specialFile),
                token("unk_token", defaults.unk(), config, configFile, special, specialFile),
                token("pad_token", defaults.pad(), config, configFile, special, specialFile),
                maxLength(config, configFile),
                addedTokens(config, configFile));
    }

    private static String token(String key, String fallback, JsonNode config, Path configFile,
                                JsonNode special, Path specialFile) {
        if (special != null && special.hasNonNull(key)) {
            return tokenContent(special.get(key), key, specialFile);
        }
        if (config != null && config.hasNonNull(key)) {
            return tokenContent(config.get(key), key, configFile);
        }
        return fallback;
    }

    /** A token is written either as a string or as an AddedToken object with a "content" string. */
    private static String tokenContent(JsonNode value, String key, Path file) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject() && value.path("content").isTextual()) {
            return value.get("content").asText();
        }
        throw new IllegalArgumentException(file + ": " + key + " must be a string or an object with a"
                + " string \"content\", got " + value);
    }

    private static int maxLength(JsonNode config, Path file) {
        if (config == null || !config.hasNonNull("model_max_length")) {
            return TokenizerConfig.DEFAULT_MAX_LENGTH;
        }
        JsonNode value = config.get("model_max_length");
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 2) {
            throw new IllegalArgumentException(file + ": model_max_length must be an integer from 2 to "
                    + Integer.MAX_VALUE + " (room for the start and end tokens), got " + value);
        }
        return value.asInt();
    }

    private static Map<String, Integer> addedTokens(JsonNode config, Path file) {
        Map<String, Integer> added = new HashMap<>();
        if (config == null || !config.hasNonNull("added_tokens_decoder")) {
            return added;
        }
        JsonNode decoder = config.get("added_tokens_decoder");
        if (!decoder.isObject()) {
            throw new IllegalArgumentException(file + ": added_tokens_decoder must be an object of id to token");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id;
            try {
                id = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": added_tokens_decoder key '" + entry.getKey()
                        + "' is not a token id", e);
            }
            added.put(tokenContent(entry.getValue(), "added_tokens_decoder." + id, file), id);
        }
        return added;
    }

    private static JsonNode readJsonObject(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + " must hold a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing tokenizer file: " + file);
        }
    }
}
