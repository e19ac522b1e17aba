package dev.inkwell.world;

/** Ear and tail length variant: an identity attribute, never named in captions. */
public enum Appendages {
    SHORT(0.6), LONG(1.5);

    private final double lengthScale;

    Appendages(double lengthScale) {
        this.lengthScale = lengthScale;
    }

    public double lengthScale() {
        return lengthScale;
    }
}
