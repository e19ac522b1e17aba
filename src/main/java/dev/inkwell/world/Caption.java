package dev.inkwell.world;

import java.util.Set;

/**
 * A caption and the attribute names it fixes ("subject", "colour", "accessory", "setting", "pose",
 * "size"), so evaluation knows which attributes a generated image must show.
 */
public record Caption(String text, Set<String> namedAttributes) {

    public static final String SUBJECT = "subject";
    public static final String COLOUR = "colour";
    public static final String ACCESSORY = "accessory";
    public static final String SETTING = "setting";
    public static final String POSE = "pose";
    public static final String SIZE = "size";

    public Caption {
        namedAttributes = Set.copyOf(namedAttributes);
    }
}
