package dev.inkwell.story;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which text-embedding rows Singular-Value Reweighting edits ({@code Prompt_embeds_mode}). */
public enum SvrMode {
    /** Each call reweights the frame's words together with the end-of-text and padding rows (the default). */
    SVR("svr"),
    /**
     * Each call reweights the frame's words only and scales the end-of-text and padding rows by
     * 0.9 (the original's benchmark setting).
     */
    SVR_EOT("svr-eot"),
    /** No edits: the consolidated prompt as encoded. */
    ORIGINAL("original");

    private final String label;

    SvrMode(String label) {
        this.label = label;
    }

    /** The original's name, also the CLI's. */
    public String label() {
        return label;
    }

    public static SvrMode parse(String text) {
        for (SvrMode m : values()) {
            if (m.label.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown SVR mode '" + text + "'; use one of "
                + Arrays.stream(values()).map(SvrMode::label).collect(Collectors.joining(", ")));
    }
}
