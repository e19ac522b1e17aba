package dev.inkwell.cli;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds as users of the field write them: 0 to 2^64 - 1 (ComfyUI's range), -1 or none for a random
 * one (AUTOMATIC1111). A seed above 2^63 - 1 is the same 64 bits as a Java long, so it draws the
 * same noise as that negative long would; images record it unsigned.
 */
final class Seeds {
    private Seeds() {}

    /** {@code null} or "-1": a random seed below 2^32, else the given one. */
    static long parse(String text) {
        if (text == null || text.strip().equals("-1")) {
            return ThreadLocalRandom.current().nextLong(0, 1L << 32);
        }
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number from 0 to 18446744073709551615, or -1 for a random"
                    + " seed, not '" + text + "'");
        }
    }

    /** Whether {@link #parse} draws a random seed for {@code text}. */
    static boolean random(String text) {
        return text == null || text.strip().equals("-1");
    }
}
