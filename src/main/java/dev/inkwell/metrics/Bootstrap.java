package dev.inkwell.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentile bootstrap intervals of a mean over independent units (stories, prompts). */
public final class Bootstrap {
    private static final int RESAMPLES = 2000;

    private Bootstrap() {}

    /** The mean of the finite values. */
    public static double mean(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The 95 % interval of the mean of {@code values} (NaN entries skipped in each resample). */
    public static double[] ci95(double[] values, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double[] sample = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                sample[i] = values[random.nextInt(values.length)];
            }
            means[r] = mean(sample);
        }
        Arrays.sort(means);
        return new double[] {means[(int) (0.025 * RESAMPLES)], means[(int) (0.975 * RESAMPLES) - 1]};
    }

    /** The 95 % interval of the mean paired difference {@code a[i] - b[i]}. */
    public static double[] differenceCi95(double[] a, double[] b, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values of different counts: " + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return ci95(d, seed);
    }
}
