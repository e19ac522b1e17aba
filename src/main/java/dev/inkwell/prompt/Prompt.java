package dev.inkwell.prompt;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A prompt made of named parts (an identity prompt and frames, say), joined with spaces into one
 * text. Encoding it reports where each part's tokens went ({@link ChunkedPrompt#positions}), so a
 * later stage can edit exactly those embeddings. Each part's weighting syntax is read on its own.
 *
 * @param parts at least one, names unique
 */
public record Prompt(List<Part> parts) {
    /** The name of the one part of a plain prompt ({@link #of(String)}). */
    public static final String WHOLE = "prompt";

    /** One named run of prompt text. */
    public record Part(String name, String text) {
        public Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    public Prompt {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a prompt needs at least one part");
        }
        Set<String> names = new HashSet<>();
        for (Part p : parts) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two prompt parts are named '" + p.name() + "'");
            }
        }
    }

    /** A plain prompt: one part named {@link #WHOLE}. */
    public static Prompt of(String text) {
        return new Prompt(List.of(new Part(WHOLE, text)));
    }

    /** The parts' texts joined with single spaces. */
    public String text() {
        return parts.stream().map(Part::text).collect(Collectors.joining(" "));
    }
}
