package dev.inkwell.prompt;

import dev.inkwell.prompt.ChunkSpan.Cut;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a prompt of any length into text-encoder chunks the way AUTOMATIC1111 does
 * ({@code modules/sd_hijack_clip.py}, {@code tokenize_line}), so long prompts are encoded chunk by
 * chunk instead of being cut at 77 tokens:
 *
 * <ul>
 *   <li>The prompt is parsed with {@link PromptAttention}, each run is tokenized on its own (so a
 *       word split by a bracket is two words) and every token carries its run's weight.</li>
 *   <li>A chunk holds 75 tokens. When a 76th arrives and one of the chunk's last 20 tokens is a comma
 *       (",&lt;/w&gt;"), the chunk ends after that comma and the tokens behind it move on to the next
 *       chunk; otherwise, or when the arriving token is itself a comma, the chunk ends at 75.</li>
 *   <li>BREAK ends the current chunk, even an empty one; a BREAK at the very end adds no empty chunk.</li>
 *   <li>An empty prompt gives one chunk with no prompt tokens.</li>
 * </ul>
 *
 * <p>Each chunk is start token, its tokens, end token, then the tokenizer's pad id up to
 * {@link ClipTokenizer#maxLength()}, as A1111 lays out chunks for SD 1.x (pad = end token) and OpenCLIP
 * models alike. Like A1111, everything after the chunk's first end token is padding, so an end token
 * typed in the prompt ("&lt;|endoftext|&gt;") blanks the rest of its chunk when the pad id differs
 * from the end id; the weights stay as they were. A1111's textual-inversion embeddings are not supported.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PromptChunker {

    /** A1111's default "comma_padding_backtrack" (setting "Prompt word wrap length limit"). */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private final ClipTokenizer tokenizer;
    private final int capacity;
    private final int commaBacktrack;
    /** The id of ",&lt;/w&gt;", or -1 (no id) when the vocabulary has none. */
    private final int commaId;

    /** A chunker with A1111's default comma backtrack of 20 tokens. */
    public PromptChunker(ClipTokenizer tokenizer) {
        this(tokenizer, DEFAULT_COMMA_BACKTRACK);
    }

    /**
     * @param commaBacktrack how far back from a full chunk's end a comma may be and still end the
     *                       chunk; 0 turns this off (A1111 allows 0 to 74)
     * @throws IllegalArgumentException if the tokenizer's length leaves no room for prompt tokens or
     *                                  the backtrack is outside 0 .. chunk capacity - 1
     */
    public PromptChunker(ClipTokenizer tokenizer, int commaBacktrack) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.capacity = tokenizer.maxLength() - 2;
        if (capacity < 1) {
            throw new IllegalArgumentException("tokenizer length " + tokenizer.maxLength()
                    + " leaves no room for prompt tokens between start and end token");
        }
        if (commaBacktrack < 0 || commaBacktrack >= capacity) {
            throw new IllegalArgumentException("comma backtrack must be between 0 and " + (capacity - 1)
                    + ", got " + commaBacktrack);
        }
        this.commaBacktrack = commaBacktrack;
        this.commaId = tokenizer.idOf(",</w>").orElse(-1);
    }

    /** Parses the prompt's attention syntax and chunks it. */
    public ChunkedPrompt chunk(String prompt) {
        return chunk(PromptAttention.parse(prompt));
    }

    /**
     * Chunks a prompt of named parts, each part's attention syntax parsed on its own, and records
     * each part's range of the prompt's tokens ({@link ChunkedPrompt#positions}).
     */
    public ChunkedPrompt chunk(Prompt prompt) {
        List<WeightedText> runs = new ArrayList<>();
        Map<String, TokenRange> ranges = new LinkedHashMap<>();
        int tokens = 0;
        for (Prompt.Part part : prompt.parts()) {
            int start = tokens;
            for (WeightedText run : PromptAttention.parse(part.text())) {
                runs.add(run);
                tokens += run.isBreak() ? 0 : tokenizer.bpeTokens(run.text()).size();
            }
            ranges.put(part.name(), new TokenRange(start, tokens));
        }
        return chunk(runs).withParts(ranges);
    }

    /**
     * Chunks already weighted text; {@code List.of(new WeightedText(prompt, 1.0))} is A1111's emphasis
     * setting "None", where brackets are plain text.
     */
    public ChunkedPrompt chunk(List<WeightedText> runs) {
        Objects.requireNonNull(runs, "runs");
        Builder builder = new Builder();
        for (WeightedText run : runs) {
            if (run.isBreak()) {
                builder.close(Cut.BREAK);
                continue;
            }
            for (int token : tokenizer.bpeTokens(run.text())) {
                builder.add(token, (float) run.weight());
            }
        }
        return builder.finish();
    }

    /** The chunk being filled and those already closed; one per {@link #chunk(List)} call. */
    private final class Builder {
        private final List<TokenChunk> chunks = new ArrayList<>();
        private final List<ChunkSpan> spans = new ArrayList<>();
        private final int[] ids = new int[capacity];
        private final float[] weights = new float[capacity];
        private int size;
        private int start;
        private int tokenCount;
        /** Position of the chunk's last comma, -1 for none (A1111's {@code last_comma}). */
        private int lastComma = -1;

        void add(int token, float weight) {
            if (token == commaId) {
                lastComma = size;
            } else if (commaBacktrack != 0 && size == capacity && lastComma != -1
                    && size - lastComma <= commaBacktrack) {
                int cut = lastComma + 1;
                int[] movedIds = Arrays.copyOfRange(ids, cut, size);
                float[] movedWeights = Arrays.copyOfRange(weights, cut, size);
                size = cut;
                close(Cut.COMMA);
                System.arraycopy(movedIds, 0, ids, 0, movedIds.length);
                System.arraycopy(movedWeights, 0, weights, 0, movedWeights.length);
                size = movedIds.length;
            }
            if (size == capacity) {
                close(Cut.FULL);
            }
            ids[size] = token;
            weights[size] = weight;
            size++;
        }

        /** Pads and stores the current chunk, counting it as a full 75 tokens as A1111 does. */
        void close(Cut cut) {
            store(cut);
            tokenCount += capacity;
        }

        ChunkedPrompt finish() {
            if (size > 0 || chunks.isEmpty()) {
                tokenCount += size;
                store(Cut.END);
            }
            return new ChunkedPrompt(chunks, spans, tokenCount);
        }

        /**
         * A1111's layout: start, tokens, end tokens to the full length; with a pad id of its own,
         * everything after the first end token then becomes padding.
         */
        private void store(Cut cut) {
            int[] chunkIds = new int[capacity + 2];
            float[] chunkWeights = new float[capacity + 2];
            Arrays.fill(chunkIds, tokenizer.eosId());
            Arrays.fill(chunkWeights, 1f);
            chunkIds[0] = tokenizer.bosId();
            System.arraycopy(ids, 0, chunkIds, 1, size);
            System.arraycopy(weights, 0, chunkWeights, 1, size);
            if (tokenizer.padId() != tokenizer.eosId()) {
                int firstEnd = 1;
                while (chunkIds[firstEnd] != tokenizer.eosId()) {
                    firstEnd++;
                }
                Arrays.fill(chunkIds, firstEnd + 1, chunkIds.length, tokenizer.padId());
            }
            chunks.add(new TokenChunk(chunkIds, chunkWeights));
            spans.add(new ChunkSpan(start, start + size, cut));
            start += size;
            size = 0;
            lastComma = -1;
        }
    }
}
