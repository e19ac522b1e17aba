package dev.inkwell.scheduler;

import dev.inkwell.scheduler.SchedulerConfig.PredictionType;

/**
 * diffusers' {@code EulerDiscreteScheduler}: Euler's method on the probability-flow ODE
 * (Karras et al., arXiv:2206.00364, Algorithm 2 without churn), sigmas linearly interpolated
 * over the training timesteps, optionally Karras-spaced.
 */
public final class EulerScheduler extends Scheduler {
    /** The sigma after the last step: 0, or the smallest training sigma for final_sigmas_type sigma_min. */
    private final double finalSigma;

    EulerScheduler(SchedulerConfig config) {
        super(SchedulerKind.EULER, validated(config), true);
        this.finalSigma = switch (config.finalSigmasType()) {
            case "zero" -> 0;
            case "sigma_min" -> schedule().sigma(0);
            default -> throw new IllegalArgumentException("final_sigmas_type must be zero or sigma_min, got '"
                    + config.finalSigmasType() + "'");
        };
    }

    private static SchedulerConfig validated(SchedulerConfig config) {
        if (!"linear".equals(config.interpolationType())) {
            throw new IllegalArgumentException("Euler interpolation_type '" + config.interpolationType()
                    + "' is not supported; supported: linear");
        }
        if (!"discrete".equals(config.timestepType()) && !"continuous".equals(config.timestepType())) {
            throw new IllegalArgumentException("Euler timestep_type must be discrete or continuous, got '"
                    + config.timestepType() + "'");
        }
        return config;
    }

    @Override
    public Run start(int steps, double strength) {
        SchedulerConfig config = config();
        NoiseSchedule schedule = schedule();
        double[] timesteps = EulerFamilyRun.timesteps(config, steps);
        double[] sigmas = EulerFamilyRun.interpolatedSigmas(schedule, timesteps);
        if (config.useKarrasSigmas()) {
            sigmas = Numerics.karrasSigmas(
                    config.sigmaMin() != null ? config.sigmaMin() : sigmas[sigmas.length - 1],
                    config.sigmaMax() != null ? config.sigmaMax() : sigmas[0],
                    steps);
            float[] logSigmas = schedule.logSigmas();
            timesteps = new double[steps];
            for (int i = 0; i < steps; i++) {
                timesteps[i] = Numerics.sigmaToT(sigmas[i], logSigmas);
            }
        }
        double[] allSigmas = Numerics.withFinalSigma(sigmas, finalSigma);
        if ("continuous".equals(config.timestepType()) && config.predictionType() == PredictionType.V_PREDICTION) {
            // EDM-style conditioning: c_noise = log(sigma) / 4, computed in float32
            for (int i = 0; i < timesteps.length; i++) {
                timesteps[i] = 0.25f * (float) Math.log(allSigmas[i]);
            }
        }
        return new EulerRun(Numerics.float32(timesteps), allSigmas, strength);
    }

    private final class EulerRun extends EulerFamilyRun {
        EulerRun(double[] timesteps, double[] sigmas, double strength) {
            super(timesteps, sigmas, strength, config().timestepSpacing());
        }

        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            int k = index(stepIndex);
            double sigma = allSigmas[k];
            double dt = allSigmas[k + 1] - sigma;
            float[] prevSample = new float[sample.length];
            float[] x0s = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                double x0 = x0(config().predictionType(), sample[i], modelOutput[i], sigma);
                double derivative = (sample[i] - x0) / sigma;
                x0s[i] = (float) x0;
                prevSample[i] = (float) (sample[i] + derivative * dt);
            }
            return new StepResult(prevSample, x0s);
        }
    }
}
