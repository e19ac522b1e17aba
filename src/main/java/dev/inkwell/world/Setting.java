package dev.inkwell.world;

import java.util.List;

/** Background; {@link #word()} is the key word every caption phrase for the setting contains. */
public enum Setting {
    SNOW("snow", List.of("in the snow", "on a snowy day in the snow")),
    FOREST("forest", List.of("in the forest", "in a forest")),
    BEACH("beach", List.of("on the beach", "on a sunny beach")),
    DESERT("desert", List.of("in the desert", "in a sandy desert")),
    NIGHT_SKY("night", List.of("at night", "under the night sky")),
    CITY("city", List.of("in the city", "in a big city")),
    MEADOW("meadow", List.of("in a meadow", "in a flower meadow")),
    UNDERWATER("underwater", List.of("underwater", "deep underwater"));

    private final String word;
    private final List<String> phrases;

    Setting(String word, List<String> phrases) {
        this.word = word;
        this.phrases = phrases;
    }

    public String word() {
        return word;
    }

    /** Caption phrases, each containing {@link #word()}. */
    public List<String> phrases() {
        return phrases;
    }
}
