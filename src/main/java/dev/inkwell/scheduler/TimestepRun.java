package dev.inkwell.scheduler;

/**
 * What DDIM and DDPM share: integer timesteps (rounded {@code set_timesteps} spacing), no sigmas,
 * each step going from timestep t to {@code t - num_train_timesteps // steps} whatever the
 * spacing, exactly as diffusers does, and {@code add_noise} by the training forward process.
 */
abstract class TimestepRun extends BaseRun {
    private final NoiseSchedule schedule;
    private final int stride;
    /** {@code alphas_cumprod} "before" timestep 0, where the last step goes. */
    private final double alphaCumprodBeforeZero;

    TimestepRun(Scheduler scheduler, double alphaCumprodBeforeZero, int steps, double strength) {
        super(Spacing.timesteps(scheduler.config(), steps, Spacing.Style.ROUNDED), new double[0], strength);
        this.schedule = scheduler.schedule();
        this.stride = scheduler.config().numTrainTimesteps() / steps;
        this.alphaCumprodBeforeZero = alphaCumprodBeforeZero;
    }

    @Override
    public final Scheduler.StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
        NoiseSchedule.requireSameLength(modelOutput, sample);
        int t = (int) allTimesteps[index(stepIndex)];
        int prev = t - stride;
        double acp = schedule.alphaCumprod(t);
        double acpPrev = prev >= 0 ? schedule.alphaCumprod(prev) : alphaCumprodBeforeZero;
        return step(t, acp, acpPrev, modelOutput, sample, noise);
    }

    /** The step from timestep {@code t}; {@code acp}, {@code acpPrev}: alphas_cumprod there and where it goes. */
    abstract Scheduler.StepResult step(int t, double acp, double acpPrev,
            float[] modelOutput, float[] sample, float[] noise);

    @Override
    public final float[] addNoise(float[] original, float[] noise, int stepIndex) {
        return schedule.addNoise(original, noise, (int) allTimesteps[index(stepIndex)]);
    }
}
