package dev.inkwell.prompt;

/** Token indices {@code start} (inclusive) to {@code end} (exclusive) of a token sequence. */
public record TokenRange(int start, int end) {

    public TokenRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid token range [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int index) {
        return index >= start && index < end;
    }
}
