package dev.inkwell.story;

/**
 * One call of Singular-Value Reweighting: every singular value {@code s} becomes {@code beta * s *
 * exp(-alpha * s)}. A positive alpha and small beta suppress, a negative alpha expresses (large
 * values grow more than small ones); alpha 0 and beta 1 change nothing.
 */
public record Reweighting(double alpha, double beta) {
    /** 1Prompt1Story's suppression of the other frames ({@code Alpha_weaken}, {@code Beta_weaken}). */
    public static final Reweighting SUPPRESS = new Reweighting(0.01, 0.05);
    /** 1Prompt1Story's expression of the current frame ({@code Alpha_enhance}, {@code Beta_enhance}). */
    public static final Reweighting EXPRESS = new Reweighting(-0.01, 1.0);

    public Reweighting {
        if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("SVR alpha and beta must be finite, not " + alpha + " and " + beta);
        }
    }

    public double apply(double sigma) {
        return beta * sigma * Math.exp(-alpha * sigma);
    }
}
