package dev.inkwell.scheduler;

/**
 * diffusers' {@code DPMSolverMultistepScheduler} as DPM-Solver++ 2M (Lu et al., arXiv:2211.01095):
 * algorithm dpmsolver++, solver order 2, midpoint solver, lower order final, final sigma zero
 * (the kinds' settings), optionally with Karras sigmas. Model outputs are converted to x0
 * predictions and the previous one is kept for the second-order update, so steps must run in
 * order. The first step has no history and the last one goes to sigma 0, where diffusers steps
 * first-order; that last step lands exactly on the x0 prediction.
 */
public final class DpmSolverMultistepScheduler extends Scheduler {
    DpmSolverMultistepScheduler(SchedulerConfig config) {
        super(config.useKarrasSigmas() ? SchedulerKind.DPMPP_2M_KARRAS : SchedulerKind.DPMPP_2M,
                Prediction.rejectThresholding(config), true);
    }

    @Override
    public Run start(int steps, double strength) {
        SchedulerConfig config = config();
        NoiseSchedule schedule = schedule();
        double[] timesteps;
        double[] sigmas;
        if (config.useKarrasSigmas()) {
            Spacing.requireValidSteps(config, steps);
            sigmas = Numerics.karrasSigmas(
                    config.sigmaMin() != null ? config.sigmaMin() : schedule.sigma(0),
                    config.sigmaMax() != null ? config.sigmaMax() : schedule.sigma(schedule.size() - 1),
                    steps);
            float[] logSigmas = schedule.logSigmas();
            timesteps = new double[steps];
            for (int i = 0; i < steps; i++) {
                timesteps[i] = Math.rint(Numerics.sigmaToT(sigmas[i], logSigmas));
            }
        } else {
            timesteps = Spacing.timesteps(config, steps, Spacing.Style.ROUNDED_EXTRA_POINT);
            sigmas = new double[timesteps.length];
            for (int i = 0; i < timesteps.length; i++) {
                sigmas[i] = schedule.sigma((int) timesteps[i]);
            }
        }
        return new DpmRun(timesteps, Numerics.withFinalSigma(sigmas, 0), strength);
    }

    /**
     * alpha_t of the variance-preserving process {@code x = alpha_t * x0 + sigma_t * eps} at
     * noise level sigma; sigma_t = sigma * alpha_t.
     */
    private static double alpha(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    /** The half log-SNR {@code log(alpha_t) - log(sigma_t)} at noise level sigma; +infinity at sigma 0. */
    private static double lambda(double sigma) {
        double alpha = alpha(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    private final class DpmRun extends BaseRun {
        private float[] previousX0;

        DpmRun(double[] timesteps, double[] sigmas, double strength) {
            super(timesteps, sigmas, strength);
        }

        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            nextInOrder(stepIndex, "DPM-Solver");
            int k = index(stepIndex);
            double sigmaS0 = allSigmas[k];
            double sigmaT = allSigmas[k + 1];
            double alphaS0 = alpha(sigmaS0);
            double alphaT = alpha(sigmaT);
            float[] x0 = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                x0[i] = (float) Prediction.x0(config().predictionType(), sample[i], modelOutput[i],
                        alphaS0, sigmaS0 * alphaS0);
            }
            boolean firstOrder = previousX0 == null || k == allTimesteps.length - 1;
            double h = lambda(sigmaT) - lambda(sigmaS0);
            double sampleCoeff = (sigmaT * alphaT) / (sigmaS0 * alphaS0);
            double x0Coeff = -alphaT * (Math.exp(-h) - 1.0);
            float[] prevSample = new float[sample.length];
            if (firstOrder) {
                for (int i = 0; i < sample.length; i++) {
                    prevSample[i] = (float) (sampleCoeff * sample[i] + x0Coeff * x0[i]);
                }
            } else {
                double r0 = (lambda(sigmaS0) - lambda(allSigmas[k - 1])) / h;
                for (int i = 0; i < sample.length; i++) {
                    double d1 = (x0[i] - (double) previousX0[i]) / r0;
                    prevSample[i] = (float) (sampleCoeff * sample[i] + x0Coeff * x0[i] + 0.5 * x0Coeff * d1);
                }
            }
            previousX0 = x0;
            return new StepResult(prevSample, x0.clone());
        }

        @Override
        public float[] addNoise(float[] original, float[] noise, int stepIndex) {
            NoiseSchedule.requireSameLength(original, noise);
            double sigma = allSigmas[index(stepIndex)];
            double alpha = alpha(sigma);
            float[] out = new float[original.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (alpha * original[i] + sigma * alpha * noise[i]);
            }
            return out;
        }
    }
}
