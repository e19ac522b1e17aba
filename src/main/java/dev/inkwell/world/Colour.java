package dev.inkwell.world;

import java.awt.Color;

/** Named colours with well separated RGB values, so a caption's colour word has one unambiguous look. */
public enum Colour {
    RED(215, 35, 35),
    ORANGE(245, 135, 20),
    YELLOW(245, 215, 35),
    GREEN(45, 165, 55),
    BLUE(35, 85, 220),
    PURPLE(135, 45, 185),
    PINK(245, 135, 195),
    BROWN(125, 75, 35),
    BLACK(25, 25, 25),
    WHITE(245, 245, 245),
    GRAY(135, 135, 135);

    private final int rgb;

    Colour(int r, int g, int b) {
        this.rgb = (r << 16) | (g << 8) | b;
    }

    /** Packed 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    public Color awt() {
        return new Color(rgb);
    }

    /** The word captions use. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
