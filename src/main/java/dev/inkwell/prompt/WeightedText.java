package dev.inkwell.prompt;

import java.util.Objects;

/**
 * A run of prompt text and the attention multiplier its tokens get, as one entry of AUTOMATIC1111's
 * {@code parse_prompt_attention} result. The weight is a double so that values such as
 * 1.5730000000000004 (1.3 · 1.1 · 1.1) come out bit for bit as in Python.
 *
 * <p>A1111 marks a {@code BREAK} keyword with the entry ("BREAK", -1); see {@link #isBreak()}.
 */
public record WeightedText(String text, double weight) {

    /** The entry A1111 inserts where the prompt says {@code BREAK}. */
    public static final WeightedText BREAK = new WeightedText("BREAK", -1.0);

    public WeightedText {
        Objects.requireNonNull(text, "text");
    }

    /**
     * Whether this entry closes the current chunk. A1111 tests text and weight exactly, so a BREAK
     * inside brackets, whose weight the brackets changed, is ordinary text ("break" with that weight).
     */
    public boolean isBreak() {
        return weight == -1.0 && text.equals(BREAK.text);
    }
}
