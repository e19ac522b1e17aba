package dev.inkwell.scheduler;

/**
 * diffusers' {@code DDIMScheduler} with eta = 0 (deterministic): Song et al., arXiv:2010.02502.
 * The step goes from timestep t to {@code t - num_train_timesteps // steps} whatever the
 * spacing, exactly as diffusers does.
 */
public final class DdimScheduler extends Scheduler {
    /** {@code alphas_cumprod} "before" t = 0: 1 with set_alpha_to_one, else {@code alphas_cumprod[0]}. */
    private final double finalAlphaCumprod;

    DdimScheduler(SchedulerConfig config) {
        super(SchedulerKind.DDIM, Prediction.rejectThresholding(config), false);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : schedule().alphaCumprod(0);
    }

    @Override
    public Run start(int steps, double strength) {
        return new DdimRun(steps, strength);
    }

    private final class DdimRun extends TimestepRun {
        DdimRun(int steps, double strength) {
            super(DdimScheduler.this, finalAlphaCumprod, steps, strength);
        }

        @Override
        StepResult step(int t, double acp, double acpPrev, float[] modelOutput, float[] sample, float[] noise) {
            double alpha = Math.sqrt(acp);
            double sigma = Math.sqrt(1 - acp);
            double alphaPrev = Math.sqrt(acpPrev);
            double sigmaPrev = Math.sqrt(1 - acpPrev);
            SchedulerConfig config = config();
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
    }
}
