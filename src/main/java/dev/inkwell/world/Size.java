package dev.inkwell.world;

/** Subject height as a fraction of the frame height. */
public enum Size {
    SMALL(0.4), LARGE(0.75);

    private final double frameFraction;

    Size(double frameFraction) {
        this.frameFraction = frameFraction;
    }

    public double frameFraction() {
        return frameFraction;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
