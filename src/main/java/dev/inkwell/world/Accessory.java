package dev.inkwell.world;

/** Worn item; its colour is an identity attribute that captions never name. */
public enum Accessory {
    NONE, HAT, SCARF, GLASSES;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
