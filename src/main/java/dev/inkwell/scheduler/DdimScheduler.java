package dev.inkwell.scheduler;

/**
 * diffusers' {@code DDIMScheduler} with eta = 0 (deterministic): Song et al., arXiv:2010.02502.
 * The step goes from timestep t to {@code t - num_train_timesteps // steps} whatever the
 * spacing, exactly as diffusers does.
 */
public final class DdimScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    /** {@code alphas_cumprod} "before" t = 0: 1 with set_alpha_to_one, else {@code alphas_cumprod[0]}. */
    private final double finalAlphaCumprod;

    DdimScheduler(SchedulerConfig config) {
        Prediction.rejectThresholding(config);
        this.config = config;
        this.schedule = NoiseSchedule.of(config, false);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : schedule.alphaCumprod(0);
    }

    @Override
    public SchedulerKind kind() {
        return SchedulerKind.DDIM;
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public boolean needsNoise() {
        return false;
    }

    @Override
    public Run start(int steps, double strength) {
        double[] timesteps = Spacing.timesteps(config, steps, Spacing.Style.ROUNDED);
        return new DdimRun(timesteps, strength, config.numTrainTimesteps() / steps);
    }

    private final class DdimRun extends BaseRun {
        private final int stride;

        DdimRun(double[] timesteps, double strength, int stride) {
            super(timesteps, new double[0], strength);
            this.stride = stride;
        }

        @Override
        public boolean integerTimesteps() {
            return true;
        }

        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            int t = (int) allTimesteps[index(stepIndex)];
            int prev = t - stride;
            double acp = schedule.alphaCumprod(t);
            double acpPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaCumprod;
            double alpha = Math.sqrt(acp);
            double sigma = Math.sqrt(1 - acp);
            double alphaPrev = Math.sqrt(acpPrev);
            double sigmaPrev = Math.sqrt(1 - acpPrev);
            float[] prevSample = new float[sample.length];
            float[] x0s = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                double x0 = Prediction.x0(config.predictionType(), sample[i], modelOutput[i], alpha, sigma);
                double eps = Prediction.epsilon(config.predictionType(), sample[i], modelOutput[i], x0, alpha, sigma);
                x0 = Prediction.clip(config, x0);
                x0s[i] = (float) x0;
                prevSample[i] = (float) (alphaPrev * x0 + sigmaPrev * eps);
            }
            return new StepResult(prevSample, x0s);
        }

        @Override
        public float[] addNoise(float[] original, float[] noise, int stepIndex) {
            return schedule.addNoise(original, noise, (int) allTimesteps[index(stepIndex)]);
        }
    }
}
