package dev.inkwell.scheduler;

/**
 * diffusers' {@code DDPMScheduler} (Ho et al., arXiv:2006.11239) with the {@code fixed_small}
 * posterior variance; the variance noise comes from the caller.
 */
public final class DdpmScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;

    DdpmScheduler(SchedulerConfig config) {
        Prediction.rejectThresholding(config);
        if (!"fixed_small".equals(config.varianceType())) {
            throw new IllegalArgumentException("DDPM variance_type '" + config.varianceType()
                    + "' is not supported; supported: fixed_small");
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config, false);
    }

    @Override
    public SchedulerKind kind() {
        return SchedulerKind.DDPM;
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
        return true;
    }

    @Override
    public Run start(int steps, double strength) {
        double[] timesteps = Spacing.timesteps(config, steps, Spacing.Style.ROUNDED);
        return new DdpmRun(timesteps, strength, config.numTrainTimesteps() / steps);
    }

    private final class DdpmRun extends BaseRun {
        private final int stride;

        DdpmRun(double[] timesteps, double strength, int stride) {
            super(timesteps, new double[0], strength);
            this.stride = stride;
        }

        @Override
        public boolean integerTimesteps() {
            return true;
        }

        /** The posterior mean of formula (7) of the DDPM paper, plus the fixed_small variance for t > 0. */
        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            int t = (int) allTimesteps[index(stepIndex)];
            int prev = t - stride;
            double acp = schedule.alphaCumprod(t);
            double acpPrev = prev >= 0 ? schedule.alphaCumprod(prev) : 1.0;
            double currentAlpha = acp / acpPrev;
            double currentBeta = 1 - currentAlpha;
            double x0Coeff = Math.sqrt(acpPrev) * currentBeta / (1 - acp);
            double sampleCoeff = Math.sqrt(currentAlpha) * (1 - acpPrev) / (1 - acp);
            double std = t > 0 ? Math.sqrt(Math.max((1 - acpPrev) / (1 - acp) * currentBeta, 1e-20)) : 0;
            float[] stepNoise = t > 0 ? requireNoise(noise, sample) : null;
            double alpha = Math.sqrt(acp);
            double sigma = Math.sqrt(1 - acp);
            float[] prevSample = new float[sample.length];
            float[] x0s = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                double x0 = Prediction.clip(config,
                        Prediction.x0(config.predictionType(), sample[i], modelOutput[i], alpha, sigma));
                double mean = x0Coeff * x0 + sampleCoeff * sample[i];
                x0s[i] = (float) x0;
                prevSample[i] = (float) (t > 0 ? mean + std * stepNoise[i] : mean);
            }
            return new StepResult(prevSample, x0s);
        }

        @Override
        public float[] addNoise(float[] original, float[] noise, int stepIndex) {
            return schedule.addNoise(original, noise, (int) allTimesteps[index(stepIndex)]);
        }
    }
}
