package dev.inkwell.story;

import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.ModelFamily;
import dev.inkwell.pipeline.GenerationResult;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.prompt.PromptChunker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 1Prompt1Story (Liu et al., ICLR 2025): one character kept across the frames of a story
 * without training. For every frame:
 * <ol>
 *   <li>the consolidated prompt: the identity prompt and the frames of the frame's window
 *       ({@link StoryWindows});
 *   <li>its text embeddings edited: the other frames suppressed and this one expressed by
 *       Singular-Value Reweighting, the identity prompt's own encoding added for
 *       Identity-Preserving Cross-Attention ({@link StoryConditioning});
 *   <li>denoised from the same initial noise as every other frame, by the ordinary loop.
 * </ol>
 */
public final class StoryTeller {
    private final TextToImage pipeline;

    public StoryTeller(TextToImage pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * A story's generation settings before the user's: the original's on SDXL (50 steps, guidance
     * 5, Euler), the model's own defaults ({@code modelDefaults}) elsewhere.
     */
    public static GenerationRequest defaults(ModelFamily family, GenerationRequest modelDefaults) {
        return family == ModelFamily.SDXL ? modelDefaults.withSteps(50).withGuidance(5.0).withScheduler(SchedulerKind.EULER)
                : modelDefaults;
    }

    /** Told as each frame finishes. */
    @FunctionalInterface
    public interface FrameListener {
        FrameListener NONE = frame -> { };

        void onFrame(StoryFrame frame);
    }

    /** Told after every denoising step of every frame. */
    @FunctionalInterface
    public interface StoryProgress {
        StoryProgress NONE = (frame, step, steps) -> { };

        void onStep(int frame, int step, int steps);
    }

    /**
     * The frames' plans for {@code story}, before any work: the place to refuse a story that does
     * not fit.
     */
    public List<FramePlan> plan(Story story, StorySettings settings) {
        List<FramePlan> plans = StoryWindows.plan(story, settings.window(), settings.windowRule(),
                pipeline.model().tokenizer());
        for (FramePlan p : plans) {
            TokenRanges ranges = new TokenRanges(pipeline.model().tokenizer(),
                    new PromptChunker(pipeline.model().tokenizer()).chunk(p.prompt()));
            ranges.of(p.express());
            p.suppress().forEach(ranges::of);
        }
        return plans;
    }

    /**
     * Tells the story.
     *
     * @param generation everything but the prompt: size, steps, guidance, scheduler, clip skip,
     *     the seed whose noise every frame starts from, and optionally that noise, {@code [1, C, h,
     *     w]} for every frame or {@code [frames, C, h, w]} one per frame
     * @param negatives {@code null}, one negative prompt for every frame, or one per frame
     */
    public List<StoryFrame> tell(Story story, StorySettings settings, GenerationRequest generation, List<String> negatives,
            FrameListener frames, StoryProgress progress) {
        if (negatives != null && negatives.size() != 1 && negatives.size() != story.size()) {
            throw new IllegalArgumentException(negatives.size() + " negative prompts for a story of " + story.size()
                    + " frames; give one for all frames or one per frame");
        }
        List<FramePlan> plans = plan(story, settings);
        generation = generation.withNativeSize(pipeline.model().nativeSize());
        long perFrame = (long) pipeline.model().unet().config().inChannels()
                * (generation.height() / pipeline.model().vaeScale()) * (generation.width() / pipeline.model().vaeScale());
        float[] noise = generation.initNoise();
        if (noise != null && noise.length != perFrame && noise.length != perFrame * story.size()) {
            throw new IllegalArgumentException("the initial noise has " + noise.length + " values; a frame's latents need "
                    + perFrame + " (the same noise for every frame) or " + perFrame * story.size() + " (one per frame)");
        }
        List<StoryFrame> out = new ArrayList<>();
        for (FramePlan plan : plans) {
            long start = System.nanoTime();
            String negative = negatives == null ? null : negatives.get(negatives.size() == 1 ? 0 : plan.frame());
            GenerationRequest request = generation.withPrompt(plan.prompt(), negative)
                    .withInitNoise(noise == null || noise.length == perFrame ? noise
                            : Arrays.copyOfRange(noise, Math.toIntExact(plan.frame() * perFrame),
                                    Math.toIntExact((plan.frame() + 1) * perFrame)));
            StoryConditioning stage = new StoryConditioning(plan, settings, request.clipSkip(), request.seed());
            ProgressListener steps = (step, total) -> progress.onStep(plan.frame(), step, total);
            GenerationResult result = pipeline.generate(request, stage, steps);
            StoryFrame frame = new StoryFrame(plan, negative, result.images().get(0), result.latents(),
                    result.latentShape(), (System.nanoTime() - start) / 1e9);
            out.add(frame);
            frames.onFrame(frame);
        }
        return out;
    }
}
