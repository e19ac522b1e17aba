package dev.inkwell.prompt;

import java.util.Arrays;
import java.util.Objects;

/**
 * One text-encoder input of a prompt, as AUTOMATIC1111's {@code PromptChunk}: start token, up to 75
 * prompt tokens, end token, then pad tokens up to the tokenizer's length (77), with one weight per
 * position (1.0 for start, end and padding).
 *
 * <p>A1111's default emphasis ("Original") multiplies each position of the encoder's output by its
 * weight, then rescales the whole output so that its mean equals the mean before the multiplication.
 *
 * <p>The arrays are copied in and out, so a chunk is an immutable value.
 */
public record TokenChunk(int[] ids, float[] weights) {

    public TokenChunk {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(weights, "weights");
        if (ids.length != weights.length) {
            throw new IllegalArgumentException("a chunk needs one weight per token: " + ids.length + " ids, "
                    + weights.length + " weights");
        }
        ids = ids.clone();
        weights = weights.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenChunk other && Arrays.equals(ids, other.ids) && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "TokenChunk[ids=" + Arrays.toString(ids) + ", weights=" + Arrays.toString(weights) + "]";
    }
}
