package dev.inkwell.world;

import java.awt.Color;

/**
 * Eye colour: an identity attribute, never named in captions. Four strongly separated hues, because an
 * eye is only a few pixels across at 64x64 and a finer palette could not be told apart there.
 */
public enum EyeColour {
    BLUE(40, 110, 255),
    GREEN(30, 200, 60),
    AMBER(255, 190, 0),
    RED(230, 20, 20);

    private final Color awt;

    EyeColour(int r, int g, int b) {
        this.awt = new Color(r, g, b);
    }

    public Color awt() {
        return awt;
    }
}
