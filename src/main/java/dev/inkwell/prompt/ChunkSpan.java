package dev.inkwell.prompt;

import java.util.Objects;

/**
 * Which of the prompt's tokens a chunk holds and why the chunk ends there: tokens {@code start}
 * (inclusive) to {@code end} (exclusive) of the prompt's token sequence, that is the tokens of all
 * its weighted runs in order, BREAK markers excluded.
 */
public record ChunkSpan(int start, int end, Cut cut) {

    /** Why a chunk was closed. */
    public enum Cut {
        /** It reached 75 tokens and was not cut at a comma. */
        FULL,
        /** It reached 75 tokens and was cut right after a comma among its last 20 tokens. */
        COMMA,
        /** A BREAK followed (so the chunk may be shorter, even empty). */
        BREAK,
        /** The prompt ended. */
        END
    }

    public ChunkSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid chunk span [" + start + ", " + end + ")");
        }
        Objects.requireNonNull(cut, "cut");
    }

    /** Number of prompt tokens in the chunk. */
    public int length() {
        return end - start;
    }
}
