package dev.inkwell.pipeline;

import dev.inkwell.prompt.Prompt;
import dev.inkwell.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One text-to-image (or image-to-image) request; {@link #of} gives the defaults and the
 * {@code with...} methods change one field each.
 *
 * @param prompts one per image of the batch; prompts may be longer than 77 tokens and use
 *     AUTOMATIC1111 weighting syntax, and may be made of named parts ({@link Prompt})
 * @param negativePrompts one per image; an entry (or the whole list) {@code null} means none,
 *     which is the empty prompt, or zeros for SDXL models that force them
 * @param width {@link #NATIVE_SIZE} for the model's native size ({@link StableDiffusion#nativeSize})
 * @param height likewise
 * @param guidance classifier-free guidance scale; at most 1 runs the positive branch only
 * @param negativeGuidance {@code null} for the reference behaviour, where the negative prompt
 *     replaces the unconditional (empty) prompt, so guidance pushes away from it with {@code
 *     guidance - 1}; else the negative prompt gets a third branch and its own scale: {@code
 *     uncond + guidance * (cond - uncond) - negativeGuidance * (negative - uncond)} (Composable
 *     Diffusion's negation, Liu et al. 2022). Ignored where no image has a negative prompt
 * @param scheduler {@code null} for the model's own scheduler
 * @param seed image i of the batch uses {@code seed + i}
 * @param clipSkip AUTOMATIC1111's convention: 1 is the text encoder's last layer, 2 the
 *     penultimate followed by the final LayerNorm; SD 1.x/2.x only (SDXL always uses its
 *     penultimate layers)
 * @param initNoise {@code null}, or the initial standard-normal latents {@code [batch, C, h, w]}
 *     flattened, which replace the seeded noise (the scheduler's init_noise_sigma is still applied)
 * @param initImage {@code null} for text-to-image, else the image img2img starts from (resized
 *     to width x height)
 * @param strength img2img: the share of the schedule that runs, in (0, 1]; 1 ignores the image
 */
public record GenerationRequest(
        List<Prompt> prompts,
        List<String> negativePrompts,
        int width,
        int height,
        int steps,
        double guidance,
        Double negativeGuidance,
        SchedulerKind scheduler,
        long seed,
        int clipSkip,
        float[] initNoise,
        BufferedImage initImage,
        double strength) {
    /** A width or height that stands for the model's native size. */
    public static final int NATIVE_SIZE = 0;
    /** The largest guidance scale accepted (for it and the negative prompts' own); beyond it images only diverge. */
    public static final double MAX_GUIDANCE = 100;
    /** Stable Diffusion's usual guidance scale, the default of {@link #of}. */
    public static final double GUIDANCE = 7.5;

    public GenerationRequest {
        if (prompts == null || prompts.isEmpty() || prompts.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("a prompt is required for every image");
        }
        prompts = List.copyOf(prompts);
        prompts.forEach(p -> checkText("a prompt", p.text()));
        if (negativePrompts != null) {
            negativePrompts.stream().filter(java.util.Objects::nonNull).forEach(n -> checkText("a negative prompt", n));
            if (negativePrompts.size() != prompts.size()) {
                throw new IllegalArgumentException(negativePrompts.size() + " negative prompts for "
                        + prompts.size() + " prompts");
            }
            negativePrompts = Collections.unmodifiableList(new ArrayList<>(negativePrompts));
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, not " + steps);
        }
        checkSide("width", width);
        checkSide("height", height);
        if (clipSkip < 1) {
            throw new IllegalArgumentException("clip skip must be at least 1, not " + clipSkip);
        }
        if (!(guidance >= 0 && guidance <= MAX_GUIDANCE)) {
            throw new IllegalArgumentException("guidance must be from 0 to " + (int) MAX_GUIDANCE + ", not " + guidance);
        }
        checkNegativeGuidance(negativeGuidance);
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], not " + strength);
        }
    }

    /**
     * Defaults: the model's native size, 25 steps, guidance 7.5 (a negative prompt replacing the
     * unconditional one), the model's scheduler, seed 0, clip skip 1.
     */
    public static GenerationRequest of(String prompt) {
        return of(Prompt.of(prompt));
    }

    /** {@link #of(String)} for a prompt of named parts. */
    public static GenerationRequest of(Prompt prompt) {
        return new GenerationRequest(List.of(prompt), null, NATIVE_SIZE, NATIVE_SIZE, 25, GUIDANCE, null, null, 0, 1, null,
                null, 1.0);
    }

    /** This request with a {@link #NATIVE_SIZE} width or height replaced by {@code nativeSize}. */
    public GenerationRequest withNativeSize(int nativeSize) {
        return withSize(width == NATIVE_SIZE ? nativeSize : width, height == NATIVE_SIZE ? nativeSize : height);
    }

    public int batchSize() {
        return prompts.size();
    }

    /** The negative prompt of image {@code i}, or {@code null} for none. */
    public String negativePrompt(int i) {
        return negativePrompts == null ? null : negativePrompts.get(i);
    }

    private static void checkSide(String what, int pixels) {
        if (pixels < 0 || pixels % 8 != 0) {
            throw new IllegalArgumentException(what + " must be a multiple of 8 (0: the model's native size), not " + pixels);
        }
    }

    /** Refuses control characters other than whitespace: no tokenizer reads them as words, and PNG text cannot hold NUL. */
    private static void checkText(String what, String text) {
        text.codePoints().filter(c -> Character.isISOControl(c) && !Character.isWhitespace(c)).findFirst()
                .ifPresent(c -> {
                    throw new IllegalArgumentException(what + " contains the control character "
                            + String.format("U+%04X", c) + "; prompts are plain text");
                });
    }

    /** Refuses a {@link #negativeGuidance} that is negative or not finite; {@code null} is the reference behaviour. */
    public static void checkNegativeGuidance(Double negativeGuidance) {
        if (negativeGuidance != null && !(negativeGuidance >= 0 && negativeGuidance <= MAX_GUIDANCE)) {
            throw new IllegalArgumentException("negative guidance must be from 0 to " + (int) MAX_GUIDANCE + ", not " + negativeGuidance);
        }
    }

    /** Whether guidance runs a third branch for the negative prompts ({@link #negativeGuidance}). */
    public boolean separateNegativeBranch() {
        return guidance > 1.0 && negativeGuidance != null && negativePrompts != null
                && negativePrompts.stream().anyMatch(java.util.Objects::nonNull);
    }

    /** Plain prompts, one per image; the negative prompts are dropped. */
    public GenerationRequest withPrompts(List<String> p) {
        return new GenerationRequest(p.stream().map(t -> t == null ? null : Prompt.of(t)).toList(), null, width, height, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    /** One image of {@code prompt}, with {@code negative} ({@code null}: none). */
    public GenerationRequest withPrompt(Prompt prompt, String negative) {
        return new GenerationRequest(List.of(prompt), negative == null ? null : Collections.singletonList(negative), width,
                height, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    /** The same prompt (and negative prompt) for {@code count} images. */
    public GenerationRequest withBatch(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + count);
        }
        List<String> negatives = negativePrompts == null ? null : Collections.nCopies(count, negativePrompts.get(0));
        return new GenerationRequest(Collections.nCopies(count, prompts.get(0)), negatives, width, height, steps,
                guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive) of this batch as a request of their
     * own: each keeps its prompt, negative prompt, seed ({@code seed + i}) and slice of the initial
     * noise, so a batch run in parts gives the images the whole batch gives.
     */
    public GenerationRequest slice(int from, int to) {
        if (from < 0 || to > prompts.size() || from >= to) {
            throw new IllegalArgumentException("images " + from + " to " + to + " of a batch of " + prompts.size());
        }
        float[] noise = null;
        if (initNoise != null) {
            if (initNoise.length % prompts.size() != 0) {
                throw new IllegalArgumentException("initial noise of " + initNoise.length + " values does not divide into "
                        + prompts.size() + " images");
            }
            int perImage = initNoise.length / prompts.size();
            noise = java.util.Arrays.copyOfRange(initNoise, from * perImage, to * perImage);
        }
        return new GenerationRequest(prompts.subList(from, to), negativePrompts == null ? null : negativePrompts.subList(from, to),
                width, height, steps, guidance, negativeGuidance, scheduler, seed + from, clipSkip, noise, initImage, strength);
    }

    /** One negative prompt for every image. */
    public GenerationRequest withNegativePrompt(String negative) {
        return withNegativePrompts(negative == null ? null : Collections.nCopies(prompts.size(), negative));
    }

    public GenerationRequest withNegativePrompts(List<String> n) {
        return new GenerationRequest(prompts, n, width, height, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withSize(int w, int h) {
        return new GenerationRequest(prompts, negativePrompts, w, h, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withSteps(int s) {
        return new GenerationRequest(prompts, negativePrompts, width, height, s, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withGuidance(double g) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, g, negativeGuidance, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    /** {@code null} for the reference behaviour (the negative prompt replaces the unconditional one). */
    public GenerationRequest withNegativeGuidance(Double n) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, n, scheduler, seed, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withScheduler(SchedulerKind k) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, negativeGuidance, k, seed, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withSeed(long s) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, negativeGuidance, scheduler, s, clipSkip, initNoise, initImage, strength);
    }

    public GenerationRequest withClipSkip(int c) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, negativeGuidance, scheduler, seed, c, initNoise, initImage, strength);
    }

    public GenerationRequest withInitNoise(float[] noise) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, noise, initImage, strength);
    }

    public GenerationRequest withInitImage(BufferedImage image, double s) {
        return new GenerationRequest(prompts, negativePrompts, width, height, steps, guidance, negativeGuidance, scheduler, seed, clipSkip, initNoise, image, s);
    }
}
