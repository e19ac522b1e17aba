package dev.inkwell.scheduler;

import dev.inkwell.scheduler.SchedulerConfig.PredictionType;

/**
 * Converts a model output to the clean-sample and noise estimates, for a noisy sample written
 * {@code sample = alpha * x0 + sigma * eps} (DDIM, DDPM: alpha = sqrt(acp); DPM-Solver:
 * alpha = 1 / sqrt(s^2 + 1) for the noise level s).
 */
final class Prediction {
    private Prediction() {
    }

    /** Rejects the dynamic thresholding option, which latent diffusion models do not use; returns {@code config}. */
    static SchedulerConfig rejectThresholding(SchedulerConfig config) {
        if (Boolean.TRUE.equals(config.thresholding())) {
            throw new IllegalArgumentException("thresholding (dynamic thresholding of x0) is not supported");
        }
        return config;
    }

    /** Rejects {@code prediction_type} sample for a scheduler that steps on noise estimates only; returns {@code config}. */
    static SchedulerConfig rejectSample(SchedulerConfig config, String scheduler) {
        if (config.predictionType() == PredictionType.SAMPLE) {
            throw new IllegalArgumentException(scheduler + " does not support prediction_type sample");
        }
        return config;
    }

    /** Clips an x0 estimate to +-{@code clip_sample_range} when the config asks for it (DDIM, DDPM). */
    static double clip(SchedulerConfig config, double x0) {
        double range = config.clipSampleRange();
        return config.clipSample() ? Math.max(-range, Math.min(range, x0)) : x0;
    }

    /** The x0 estimate. */
    static double x0(PredictionType type, double sample, double model, double alpha, double sigma) {
        return switch (type) {
            case EPSILON -> (sample - sigma * model) / alpha;
            case V_PREDICTION -> alpha * sample - sigma * model;
            case SAMPLE -> model;
        };
    }

    /** The noise estimate, given the x0 estimate {@link #x0} returned. */
    static double epsilon(PredictionType type, double sample, double model, double x0, double alpha, double sigma) {
        return switch (type) {
            case EPSILON -> model;
            case V_PREDICTION -> alpha * model + sigma * sample;
            case SAMPLE -> (sample - alpha * x0) / sigma;
        };
    }
}
