package dev.inkwell.scheduler;

/**
 * A diffusion sampler, reproducing one diffusers scheduler class on flat {@code float[]} latents.
 *
 * <p>A scheduler is immutable (its config and training noise schedule); each generation calls
 * {@link #start} for a fresh {@link Run} that holds the per-generation state (step count, and
 * model-output history for multistep solvers). Arrays may have any shape: the caller flattens
 * tensors, and all arrays passed to one call must have the same length.
 */
public abstract sealed class Scheduler
        permits DdimScheduler, EulerScheduler, EulerAncestralScheduler, DpmSolverMultistepScheduler, DdpmScheduler,
        PndmScheduler {
    private final SchedulerKind kind;
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;

    /**
     * @param clampTerminal whether the noise schedule keeps the last sigma finite under zero-terminal-SNR
     *        rescaling (the sigma-based schedulers), see {@link NoiseSchedule#of}
     */
    Scheduler(SchedulerKind kind, SchedulerConfig config, boolean clampTerminal) {
        this.kind = kind;
        this.config = config;
        this.schedule = NoiseSchedule.of(config, clampTerminal);
    }

    /** Which scheduler this is. */
    public final SchedulerKind kind() {
        return kind;
    }

    /** The complete config it runs with (model config merged with this class's defaults). */
    public final SchedulerConfig config() {
        return config;
    }

    /** The training noise schedule ({@code alphas_cumprod}, DDPM forward process). */
    public final NoiseSchedule schedule() {
        return schedule;
    }

    /** Whether {@link Run#step} needs fresh standard-normal noise ({@link SchedulerKind#drawsNoise}). */
    public final boolean needsNoise() {
        return kind.drawsNoise();
    }

    /** Starts a text-to-image generation of {@code steps} steps. */
    public final Run start(int steps) {
        return start(steps, 1.0);
    }

    /**
     * Starts an image-to-image generation: of a {@code steps}-step schedule only the last
     * {@code min(int(steps * strength), steps)} steps run, as diffusers' img2img pipelines do
     * (they begin at {@code timesteps[steps - that]}). The initial latent is
     * {@code run.addNoise(imageLatent, noise, 0)}.
     *
     * @param strength in (0, 1]; 1 runs the whole schedule
     */
    public abstract Run start(int steps, double strength);

    /**
     * The steps of one generation. Step indices are 0-based positions in {@link #timesteps()};
     * for multistep solvers {@link #step} must be called for indices 0, 1, 2, ... in order.
     */
    public interface Run {
        /**
         * The timesteps to feed the UNet, one per step, as diffusers returns them: integers
         * (int64 in diffusers) for DDIM, DDPM and DPM-Solver, float32 values for the Euler family.
         */
        double[] timesteps();

        /** Whether {@link #timesteps()} are int64 in diffusers (else float32). */
        boolean integerTimesteps();

        /**
         * The noise levels of a sigma-based scheduler, {@code timesteps().length + 1} values (the
         * last one the final sigma); empty for DDIM and DDPM, which are indexed by timestep.
         */
        double[] sigmas();

        /** Standard deviation of the initial noise for text-to-image: {@code latents = randn * initNoiseSigma}. */
        double initNoiseSigma();

        /** The UNet input for step {@code stepIndex} (divides by sqrt(sigma^2 + 1) for Euler, else unchanged). */
        float[] scaleModelInput(float[] sample, int stepIndex);

        /**
         * One denoising step from {@code sample} at step {@code stepIndex} to the next sample.
         *
         * @param modelOutput the (guided) UNet output for {@code scaleModelInput(sample, stepIndex)}
         * @param noise standard-normal noise of the sample's length if {@link Scheduler#needsNoise()}, else ignored (may be null)
         */
        StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise);

        /**
         * Noises {@code original} to the noise level of step {@code stepIndex}, as the scheduler's
         * {@code add_noise} (img2img initial latents, inpainting masks).
         */
        float[] addNoise(float[] original, float[] noise, int stepIndex);
    }

    /**
     * The result of a step.
     *
     * @param prevSample the sample for the next step (the final latent after the last step)
     * @param predOriginal the model's current estimate of the clean sample x0
     */
    public record StepResult(float[] prevSample, float[] predOriginal) {
    }
}
