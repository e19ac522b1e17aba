package dev.inkwell.scheduler;

import dev.inkwell.scheduler.SchedulerConfig.TimestepSpacing;

/**
 * What Euler and Euler ancestral share: float32 timesteps with a variance-exploding noise level
 * sigma per step (the sample is {@code x0 + sigma * eps}), the UNet input scaled back to unit
 * variance, and {@code add_noise} as {@code original + sigma * noise}.
 */
abstract class EulerFamilyRun extends BaseRun {
    private final TimestepSpacing spacing;

    EulerFamilyRun(double[] timesteps, double[] sigmas, double strength, TimestepSpacing spacing) {
        super(timesteps, sigmas, strength);
        this.spacing = spacing;
    }

    /** The float32 timesteps of a {@code steps}-step schedule, unrounded. */
    static double[] timesteps(SchedulerConfig config, int steps) {
        return Numerics.float32(Spacing.timesteps(config, steps, Spacing.Style.FRACTIONAL));
    }

    /** Training sigmas linearly interpolated at (possibly fractional) timesteps, in float64 as {@code np.interp}. */
    static double[] interpolatedSigmas(NoiseSchedule schedule, double[] timesteps) {
        float[] table = schedule.sigmas();
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Numerics.npInterp(timesteps[i], table);
        }
        return out;
    }

    @Override
    public final boolean integerTimesteps() {
        return false;
    }

    /** The largest sigma for linspace/trailing spacing, else {@code sqrt(max^2 + 1)}; in float32 like diffusers. */
    @Override
    public final double initNoiseSigma() {
        float max = 0;
        for (double s : allSigmas) {
            max = Math.max(max, (float) s);
        }
        return spacing == TimestepSpacing.LEADING ? (float) Math.sqrt(max * max + 1f) : max;
    }

    @Override
    public final float[] scaleModelInput(float[] sample, int stepIndex) {
        double sigma = allSigmas[index(stepIndex)];
        double scale = 1 / Math.sqrt(sigma * sigma + 1);
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sample[i] * scale);
        }
        return out;
    }

    @Override
    public final float[] addNoise(float[] original, float[] noise, int stepIndex) {
        NoiseSchedule.requireSameLength(original, noise);
        double sigma = allSigmas[index(stepIndex)];
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (original[i] + sigma * noise[i]);
        }
        return out;
    }

    /** The x0 estimate in the variance-exploding parameterisation (epsilon, v or sample prediction). */
    static double x0(SchedulerConfig.PredictionType type, double sample, double model, double sigma) {
        return switch (type) {
            case EPSILON -> sample - sigma * model;
            case V_PREDICTION -> model * (-sigma / Math.sqrt(sigma * sigma + 1)) + sample / (sigma * sigma + 1);
            case SAMPLE -> model;
        };
    }
}
