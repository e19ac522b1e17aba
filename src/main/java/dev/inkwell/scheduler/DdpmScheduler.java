package dev.inkwell.scheduler;

/**
 * diffusers' {@code DDPMScheduler} (Ho et al., arXiv:2006.11239) with the {@code fixed_small}
 * posterior variance; the variance noise comes from the caller.
 */
public final class DdpmScheduler extends Scheduler {
    DdpmScheduler(SchedulerConfig config) {
        super(SchedulerKind.DDPM, validated(config), false);
    }

    private static SchedulerConfig validated(SchedulerConfig config) {
        Prediction.rejectThresholding(config);
        if (!"fixed_small".equals(config.varianceType())) {
            throw new IllegalArgumentException("DDPM variance_type '" + config.varianceType()
                    + "' is not supported; supported: fixed_small");
        }
        return config;
    }

    @Override
    public Run start(int steps, double strength) {
        return new DdpmRun(steps, strength);
    }

    private final class DdpmRun extends TimestepRun {
        DdpmRun(int steps, double strength) {
            super(DdpmScheduler.this, 1.0, steps, strength);
        }

        /** The posterior mean of formula (7) of the DDPM paper, plus the fixed_small variance for t > 0. */
        @Override
        StepResult step(int t, double acp, double acpPrev, float[] modelOutput, float[] sample, float[] noise) {
            double currentAlpha = acp / acpPrev;
            double currentBeta = 1 - currentAlpha;
            double x0Coeff = Math.sqrt(acpPrev) * currentBeta / (1 - acp);
            double sampleCoeff = Math.sqrt(currentAlpha) * (1 - acpPrev) / (1 - acp);
            double std = t > 0 ? Math.sqrt(Math.max((1 - acpPrev) / (1 - acp) * currentBeta, 1e-20)) : 0;
            float[] stepNoise = t > 0 ? requireNoise(noise, sample) : null;
            double alpha = Math.sqrt(acp);
            double sigma = Math.sqrt(1 - acp);
            SchedulerConfig config = config();
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
    }
}
