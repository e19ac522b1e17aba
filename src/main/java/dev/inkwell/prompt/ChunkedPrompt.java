package dev.inkwell.prompt;

import java.util.List;

/**
 * A prompt as text-encoder chunks ({@link PromptChunker}), with where each chunk's tokens came from
 * and AUTOMATIC1111's token count.
 *
 * @param chunks     at least one chunk, all of the same length
 * @param spans      one per chunk: its prompt tokens and why it ended
 * @param tokenCount A1111's count, the "N" of its "N/75": 75 for every chunk but the last, plus the
 *                   prompt tokens of the last; so a chunk cut short by a comma or BREAK counts 75
 */
public record ChunkedPrompt(List<TokenChunk> chunks, List<ChunkSpan> spans, int tokenCount) {

    public ChunkedPrompt {
        chunks = List.copyOf(chunks);
        spans = List.copyOf(spans);
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
}
