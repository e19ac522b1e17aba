package dev.inkwell.metrics;

import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judgement;
import dev.inkwell.world.Accessory;
import dev.inkwell.world.Colour;
import dev.inkwell.world.Pose;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Size;
import dev.inkwell.world.Subject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The storybook world's attributes a prompt names, read from its words (the captions' own
 * vocabulary: "in the snow", "sitting", "wearing a hat"), so the judge can check a picture against
 * what was asked.
 */
public final class NamedAttributes {
    private NamedAttributes() {}

    /** Every attribute the text names, with its value. */
    public static Map<Attribute, Enum<?>> of(String text) {
        String t = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ") + " ";
        Map<Attribute, Enum<?>> named = new EnumMap<>(Attribute.class);
        for (Subject s : Subject.values()) {
            if (hasWord(t, s.word())) {
                named.put(Attribute.SUBJECT, s);
            }
        }
        for (Colour c : Colour.values()) {
            if (hasWord(t, c.word())) {
                named.put(Attribute.COLOUR, c);
            }
        }
        for (Size s : Size.values()) {
            if (hasWord(t, s.word())) {
                named.put(Attribute.SIZE, s);
            }
        }
        for (Setting s : Setting.values()) {
            if (hasWord(t, s.word())) {
                named.put(Attribute.SETTING, s);
            }
        }
        for (Pose p : Pose.values()) {
            if (hasWord(t, p.word())) {
                named.put(Attribute.POSE, p);
            }
        }
        for (Accessory a : Accessory.values()) {
            if (a != Accessory.NONE && hasWord(t, a.word())) {
                named.put(Attribute.ACCESSORY, a);
            }
        }
        return named;
    }

    /** The share of {@code named} attributes the judge agrees with (NaN when none is named). */
    public static double agreement(Map<Attribute, Enum<?>> named, Judgement judged) {
        if (named.isEmpty()) {
            return Double.NaN;
        }
        long agreeing = named.entrySet().stream().filter(e -> judged.get(e.getKey()).value() == e.getValue()).count();
        return (double) agreeing / named.size();
    }

    private static boolean hasWord(String text, String word) {
        return Pattern.compile(" " + Pattern.quote(word) + "s? ").matcher(text).find();
    }
}
