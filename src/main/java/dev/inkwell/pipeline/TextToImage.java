package dev.inkwell.pipeline;

import dev.inkwell.image.Images;
import dev.inkwell.nn.Ops;
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
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Text to image (and image to image) with classifier-free guidance, as diffusers' Stable
 * Diffusion pipelines do it:
 * <ol>
 *   <li>encode the prompts and negative prompts; the guided batch is {@code [negatives, positives]},
 *       the negative prompts standing in for the unconditional (empty) one, or {@code [unconditional,
 *       negatives, positives]} when the negatives have their own scale
 *   <li>start from seeded noise, or from the init image's latents noised to the first step
 *   <li>at each step predict the noise of every branch and combine them,
 *       {@code uncond + g * (cond - uncond)} or {@code uncond + g * (cond - uncond) - gNeg * (neg -
 *       uncond)}, and let the scheduler step the latents
 *   <li>decode with the VAE (in tiles when the image is large)
 * </ol>
 */
public final class TextToImage {
    private final StableDiffusion model;
    private final PromptEncoder prompts;

    public TextToImage(StableDiffusion model) {
        this.model = model;
        this.prompts = new PromptEncoder(model);
    }

    public GenerationResult generate(GenerationRequest asked, ProgressListener progress) {
        GenerationRequest request = asked.withNativeSize(model.nativeSize());
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope requestScope = new PointerScope()) {
            int batch = request.batchSize();
            boolean guided = request.guidance() > 1.0;
            int branches = !guided ? 1 : request.separateNegativeBranch() ? 3 : 2;
            boolean img2img = request.initImage() != null && request.strength() < 1.0;
            SchedulerKind kind = request.scheduler() == null ? model.defaultScheduler() : request.scheduler();
            Scheduler scheduler = kind.create(model.schedulerConfig());
            Scheduler.Run run = scheduler.start(request.steps(), img2img ? request.strength() : 1.0);

            Conditioning cond = conditioning(request, branches);
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

            double[] timesteps = run.timesteps();
            ScalarType type = model.unet().precision().scalarType();
            for (int i = 0; i < timesteps.length; i++) {
                try (PointerScope stepScope = new PointerScope()) {
                    Tensor x = Torch.floats(run.scaleModelInput(latents, i), shape).to(type);
                    Tensor t = run.integerTimesteps()
                            ? Torch.longs(new long[] {(long) timesteps[i]}, 1)
                            : Torch.floats(new float[] {(float) timesteps[i]}, 1);
                    Tensor everyBranch = branches == 1 ? x : Ops.cat(0, Collections.nCopies(branches, x).toArray(Tensor[]::new));
                    Tensor predicted = model.unet().forward(everyBranch, t, cond);
                    if (guided) {
                        TensorVector parts = predicted.chunk(branches, 0);
                        Tensor uncond = parts.get(0);
                        Tensor positive = parts.get(branches - 1);
                        predicted = uncond.add(positive.sub(uncond).mul(new Scalar(request.guidance())));
                        if (branches == 3) {
                            predicted = predicted.sub(parts.get(1).sub(uncond).mul(new Scalar(request.negativeGuidance())));
                        }
                    }
                    float[] stepNoise = scheduler.needsNoise() ? drawNoise(noise, perImage) : null;
                    latents = run.step(Torch.toFloats(predicted), i, latents, stepNoise).prevSample();
                }
                progress.onStep(i + 1, timesteps.length);
            }
            return new GenerationResult(decode(latents, shape), latents, shape, seeds, kind);
        }
    }

    /**
     * Rows {@code [negatives..., positives...]} when guided (and {@code [unconditional...,
     * negatives..., positives...]} with a negative branch of its own), else the positives alone.
     * The unconditional row, and a negative row without a negative prompt, is the empty prompt, or
     * zeros on SDXL models that force them (diffusers' {@code force_zeros_for_empty_prompt}).
     */
    private Conditioning conditioning(GenerationRequest request, int branches) {
        String empty = model.forceZerosForEmptyPrompt() ? null : "";
        List<String> rows = new ArrayList<>();
        if (branches == 3) {
            rows.addAll(Collections.nCopies(request.batchSize(), empty));
        }
        if (branches > 1) {
            for (int i = 0; i < request.batchSize(); i++) {
                String negative = request.negativePrompt(i);
                rows.add(negative != null ? negative : empty);
            }
        }
        rows.addAll(request.prompts());
        PromptEmbeddings e = prompts.encode(rows, request.clipSkip());
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
        return new Conditioning(e.context().to(type), e.mask(), e.pooled() == null ? null : e.pooled().to(type), timeIds);
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
