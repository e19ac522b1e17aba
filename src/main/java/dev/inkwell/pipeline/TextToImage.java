package dev.inkwell.pipeline;

import dev.inkwell.image.Images;
import dev.inkwell.nn.Ops;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.scheduler.Scheduler;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.vae.VaeTiling;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Text to image (and image to image) with classifier-free guidance, as diffusers' Stable
 * Diffusion pipelines do it, in four stages that other pipelines (stories) reuse:
 * <ol>
 *   <li>{@link #prepare}: encode the prompts of every {@link Guidance} branch (the negative
 *       prompts standing in for the unconditional one, or a branch of their own), let a
 *       {@link ConditioningStage} edit them, and start from seeded noise or from the init image's
 *       latents noised to the first step
 *   <li>{@link #predictNoise}: the UNet's prediction for every branch, combined by the guidance
 *   <li>{@link #step}: the scheduler steps the latents
 *   <li>{@link #decode}: the VAE (in tiles when the image is large)
 * </ol>
 * Call them inside a {@link NoGradGuard} and a {@link PointerScope}, as {@link #generate} does.
 */
public final class TextToImage {
    private final StableDiffusion model;
    private final PromptEncoder prompts;

    public TextToImage(StableDiffusion model) {
        this.model = model;
        this.prompts = new PromptEncoder(model);
    }

    public StableDiffusion model() {
        return model;
    }

    public GenerationResult generate(GenerationRequest request, ProgressListener progress) {
        return generate(request, ConditioningStage.NONE, progress);
    }

    /** The whole generation, with {@code stage} between encoding and the loop. */
    public GenerationResult generate(GenerationRequest request, ConditioningStage stage, ProgressListener progress) {
        return generate(request, stage, progress, () -> false);
    }

    /**
     * {@link #generate(GenerationRequest, ConditioningStage, ProgressListener)} that stops early when
     * {@code stop} says so (checked before each step), decoding the latents as far as they got, as
     * AUTOMATIC1111's interrupt does.
     */
    public GenerationResult generate(GenerationRequest request, ConditioningStage stage, ProgressListener progress,
            java.util.function.BooleanSupplier stop) {
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope requestScope = new PointerScope()) {
            Denoising d = prepare(request, stage);
            for (int i = 0; i < d.steps() && !stop.getAsBoolean(); i++) {
                try (PointerScope stepScope = new PointerScope()) {
                    step(d, i, predictNoise(d, i));
                }
                progress.onStep(i + 1, d.steps());
            }
            return new GenerationResult(decode(d), d.latents(), d.shape(), d.seeds(), d.schedulerKind());
        }
    }

    /** Encodes, conditions and draws the starting latents. */
    public Denoising prepare(GenerationRequest asked, ConditioningStage stage) {
        GenerationRequest request = asked.withNativeSize(model.nativeSize());
        int batch = request.batchSize();
        Guidance guidance = Guidance.of(request);
        boolean img2img = request.initImage() != null && request.strength() < 1.0;
        SchedulerKind kind = request.scheduler() == null ? model.defaultScheduler() : request.scheduler();
        Scheduler scheduler = kind.create(model.schedulerConfig());
        Scheduler.Run run = scheduler.start(request.steps(), img2img ? request.strength() : 1.0);

        Conditioning cond = conditioning(request, new GuidanceRows(guidance.branches(), batch), stage);
        long[] shape = {batch, model.unet().config().inChannels(),
            request.height() / model.vaeScale(), request.width() / model.vaeScale()};
        int perImage = Math.toIntExact(shape[1] * shape[2] * shape[3]);
        long[] seeds = new long[batch];
        List<GaussianNoise> noise = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            seeds[i] = request.seed() + i;
            noise.add(new GaussianNoise(seeds[i]));
        }
        float[] latents = request.initNoise() != null ? checkedNoise(request.initNoise(), shape) : drawNoise(noise, perImage);
        if (img2img) {
            latents = run.addNoise(encodeImage(request.initImage(), shape), latents, 0);
        } else {
            scale(latents, run.initNoiseSigma());
        }
        return new Denoising(request, kind, scheduler, run, guidance, cond, shape, seeds, noise, latents);
    }

    /** The guided noise prediction {@code [images, C, h, w]} at step {@code i}. */
    public Tensor predictNoise(Denoising d, int i) {
        long[] shape = d.shape();
        double[] timesteps = d.run().timesteps();
        ScalarType type = model.unet().precision().scalarType();
        Tensor x = Torch.floats(d.run().scaleModelInput(d.latents(), i), shape).to(type);
        Tensor t = d.run().integerTimesteps()
                ? Torch.longs(new long[] {(long) timesteps[i]}, 1)
                : Torch.floats(new float[] {(float) timesteps[i]}, 1);
        int branches = d.guidance().branches().size();
        Tensor everyBranch = branches == 1 ? x : Ops.cat(0, Collections.nCopies(branches, x).toArray(Tensor[]::new));
        Tensor predicted = model.unet().forward(everyBranch, t, d.conditioning());
        TensorVector parts = predicted.chunk(branches, 0);
        List<Tensor> byBranch = new ArrayList<>();
        for (int b = 0; b < branches; b++) {
            byBranch.add(parts.get(b));
        }
        return d.guidance().combine(byBranch);
    }

    /** Steps the latents with the scheduler, from the guided prediction of step {@code i}. */
    public void step(Denoising d, int i, Tensor noisePrediction) {
        long[] shape = d.shape();
        int perImage = Math.toIntExact(shape[1] * shape[2] * shape[3]);
        float[] stepNoise = d.scheduler().needsNoise() ? drawNoise(d.noise(), perImage) : null;
        float[] next = d.run().step(Torch.toFloats(noisePrediction), i, d.latents(), stepNoise).prevSample();
        for (float v : next) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("the denoising diverged at step " + (i + 1) + " of " + d.steps()
                        + " (the latents are no longer finite numbers); a lower guidance scale, or an intact model, avoids it");
            }
        }
        d.latents(next);
    }

    /** The images of the current latents. */
    public List<BufferedImage> decode(Denoising d) {
        return decode(d.latents(), d.shape());
    }

    /**
     * One row per branch and image ({@link GuidanceRows}). The unconditional row, and a negative
     * row without a negative prompt, is the empty prompt, or zeros on SDXL models that force them
     * (diffusers' {@code force_zeros_for_empty_prompt}).
     */
    private Conditioning conditioning(GenerationRequest request, GuidanceRows layout, ConditioningStage stage) {
        Prompt empty = model.forceZerosForEmptyPrompt() ? null : Prompt.of("");
        List<Prompt> rows = new ArrayList<>();
        for (int row = 0; row < layout.rows(); row++) {
            int image = layout.image(row);
            rows.add(switch (layout.branch(row)) {
                case UNCONDITIONAL -> empty;
                case NEGATIVE -> request.negativePrompt(image) != null ? Prompt.of(request.negativePrompt(image)) : empty;
                case POSITIVE -> request.prompts().get(image);
            });
        }
        PromptEmbeddings e = stage.edit(prompts.encodePrompts(rows, request.clipSkip()), layout, prompts);
        Tensor timeIds = null;
        if (model.unet().config().hasTextTimeEmbedding()) {
            // SDXL size conditioning: original size, crop top-left, target size, all the output size.
            float[] ids = new float[rows.size() * 6];
            for (int row = 0; row < rows.size(); row++) {
                float[] one = {request.height(), request.width(), 0, 0, request.height(), request.width()};
                System.arraycopy(one, 0, ids, row * 6, 6);
            }
            timeIds = Torch.floats(ids, rows.size(), 6);
        }
        ScalarType type = model.unet().precision().scalarType();
        return new Conditioning(e.context().to(type), e.mask(), e.pooled() == null ? null : e.pooled().to(type), timeIds,
                stage.processors(e, layout));
    }

    /** The init image's latents (the VAE posterior mean), repeated for every image of the batch. */
    private float[] encodeImage(BufferedImage image, long[] shape) {
        try (PointerScope scope = new PointerScope()) {
            int h = Math.toIntExact(shape[2]) * model.vaeScale();
            int w = Math.toIntExact(shape[3]) * model.vaeScale();
            Tensor pixels = Images.toTensor(Images.resize(image, w, h));
            float[] one = Torch.toFloats(model.vae().toLatents(model.vae().encode(pixels).mean()));
            float[] all = new float[Math.toIntExact(one.length * shape[0])];
            for (int b = 0; b < shape[0]; b++) {
                System.arraycopy(one, 0, all, b * one.length, one.length);
            }
            return all;
        }
    }

    private static float[] checkedNoise(float[] given, long[] shape) {
        long total = shape[0] * shape[1] * shape[2] * shape[3];
        if (given.length != total) {
            throw new IllegalArgumentException("the initial noise has " + given.length + " values but "
                    + Arrays.toString(shape) + " latents need " + total);
        }
        return given.clone();
    }

    private static float[] drawNoise(List<GaussianNoise> noise, int perImage) {
        float[] out = new float[perImage * noise.size()];
        for (int i = 0; i < noise.size(); i++) {
            System.arraycopy(noise.get(i).next(perImage), 0, out, i * perImage, perImage);
        }
        return out;
    }

    private static void scale(float[] values, double factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] * factor);
        }
    }

    private List<BufferedImage> decode(float[] latents, long[] shape) {
        List<BufferedImage> images = new ArrayList<>();
        int per = Math.toIntExact(shape[1] * shape[2] * shape[3]);
        for (int b = 0; b < shape[0]; b++) {
            try (PointerScope scope = new PointerScope()) {
                float[] one = Arrays.copyOfRange(latents, b * per, (b + 1) * per);
                Tensor z = Torch.floats(one, 1, shape[1], shape[2], shape[3]);
                images.add(Images.fromTensor(VaeTiling.toImage(model.vae(), z)));
            }
        }
        return images;
    }
}
