package dev.inkwell.prompt;

import java.util.List;
import java.util.Map;

/**
 * A prompt as text-encoder chunks ({@link PromptChunker}), with where each chunk's tokens came from
 * and AUTOMATIC1111's token count.
 *
 * @param chunks     at least one chunk, all of the same length
 * @param spans      one per chunk: its prompt tokens and why it ended
 * @param tokenCount A1111's count, the "N" of its "N/75": 75 for every chunk but the last, plus the
 *                   prompt tokens of the last; so a chunk cut short by a comma or BREAK counts 75
 * @param parts      for a {@link Prompt} of named parts, each part's range of the prompt's tokens;
 *                   empty otherwise
 */
public record ChunkedPrompt(List<TokenChunk> chunks, List<ChunkSpan> spans, int tokenCount, Map<String, TokenRange> parts) {

    public ChunkedPrompt(List<TokenChunk> chunks, List<ChunkSpan> spans, int tokenCount) {
        this(chunks, spans, tokenCount, Map.of());
    }

    public ChunkedPrompt {
        chunks = List.copyOf(chunks);
        spans = List.copyOf(spans);
        parts = Map.copyOf(parts);
        if (chunks.isEmpty() || chunks.size() != spans.size()) {
            throw new IllegalArgumentException("need one span per chunk and at least one chunk, got "
                    + chunks.size() + " chunks and " + spans.size() + " spans");
        }
        if (tokenCount < 0) {
            throw new IllegalArgumentException("negative token count " + tokenCount);
        }
    }

    /** Prompt tokens one chunk holds at most (75 for CLIP's 77). */
    public int chunkCapacity() {
        return chunks.get(0).ids().length - 2;
    }

    /**
     * The "75" of A1111's "N/75": the token count rounded up to whole chunks, at least one chunk
     * ({@code get_target_prompt_token_count}).
     */
    public int targetTokenCount() {
        int capacity = chunkCapacity();
        return Math.max(1, (tokenCount + capacity - 1) / capacity) * capacity;
    }

    /**
     * Where the prompt's token {@code token} sits in the encoded sequence, the chunks laid end to
     * end ({@code 77 * chunk + 1 + offset}: each chunk starts with its start token).
     */
    public int position(int token) {
        int length = chunks.get(0).ids().length;
        for (int c = 0; c < spans.size(); c++) {
            ChunkSpan span = spans.get(c);
            if (token >= span.start() && token < span.end()) {
                return c * length + 1 + token - span.start();
            }
        }
        throw new IllegalArgumentException("the prompt has no token " + token);
    }

    /** The encoded-sequence positions of a named part's tokens, in order (across chunks). */
    public int[] positions(String part) {
        TokenRange range = parts.get(part);
        if (range == null) {
            throw new IllegalArgumentException("the prompt has no part named '" + part + "'");
        }
        int[] out = new int[range.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = position(range.start() + i);
        }
        return out;
    }

    /** The same chunks with the token ranges of named parts. */
    public ChunkedPrompt withParts(Map<String, TokenRange> named) {
        return new ChunkedPrompt(chunks, spans, tokenCount, named);
    }
}
