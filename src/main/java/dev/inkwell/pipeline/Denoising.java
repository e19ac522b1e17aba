package dev.inkwell.pipeline;

import dev.inkwell.scheduler.Scheduler;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.unet.Conditioning;
import java.util.List;

/**
 * One generation under way ({@link TextToImage#prepare}): the request, its guidance and
 * conditioning, the scheduler's run and the current latents, which {@link TextToImage#step}
 * replaces.
 */
public final class Denoising {
    private final GenerationRequest request;
    private final SchedulerKind kind;
    private final Scheduler scheduler;
    private final Scheduler.Run run;
    private final Guidance guidance;
    private final Conditioning conditioning;
    private final long[] shape;
    private final long[] seeds;
    private final List<GaussianNoise> noise;
    private float[] latents;

    Denoising(GenerationRequest request, SchedulerKind kind, Scheduler scheduler, Scheduler.Run run, Guidance guidance,
            Conditioning conditioning, long[] shape, long[] seeds, List<GaussianNoise> noise, float[] latents) {
        this.request = request;
        this.kind = kind;
        this.scheduler = scheduler;
        this.run = run;
        this.guidance = guidance;
        this.conditioning = conditioning;
        this.shape = shape;
        this.seeds = seeds;
        this.noise = noise;
        this.latents = latents;
    }

    public GenerationRequest request() {
        return request;
    }

    public SchedulerKind schedulerKind() {
        return kind;
    }

    public Guidance guidance() {
        return guidance;
    }

    /** What the UNet is conditioned on, one row per branch and image ({@link GuidanceRows}). */
    public Conditioning conditioning() {
        return conditioning;
    }

    /** The number of denoising steps that run (fewer than the request's for img2img). */
    public int steps() {
        return run.timesteps().length;
    }

    /** The latents' shape {@code [images, C, h, w]}. */
    public long[] shape() {
        return shape.clone();
    }

    public long[] seeds() {
        return seeds.clone();
    }

    /** The current latents, flattened. */
    public float[] latents() {
        return latents;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Scheduler.Run run() {
        return run;
    }

    List<GaussianNoise> noise() {
        return noise;
    }

    void latents(float[] next) {
        latents = next;
    }
}
