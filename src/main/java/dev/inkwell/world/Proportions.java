package dev.inkwell.world;

/** Head-to-body ratio variant: an identity attribute, never named in captions. */
public enum Proportions {
    COMPACT(0.85, 1.1), BALANCED(1.0, 1.0), BIG_HEAD(1.25, 0.9);

    private final double headScale;
    private final double bodyWidthScale;

    Proportions(double headScale, double bodyWidthScale) {
        this.headScale = headScale;
        this.bodyWidthScale = bodyWidthScale;
    }

    public double headScale() {
        return headScale;
    }

    public double bodyWidthScale() {
        return bodyWidthScale;
    }
}
