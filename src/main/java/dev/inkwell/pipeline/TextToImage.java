package dev.inkwell.pipeline;

import dev.inkwell.image.Images;
import dev.inkwell.nn.Ops;
import dev.inkwell.scheduler.Scheduler;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.Conditioning;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Text to image with classifier-free guidance, as diffusers' Stable Diffusion pipelines do it:
 * encode the prompt and the negative prompt, start from seeded noise, let the scheduler step the
 * latents with the guided UNet prediction, decode with the VAE.
 */
public final class TextToImage {
    private final StableDiffusion model;
    private final PromptEncoder prompts;

    public TextToImage(StableDiffusion model) {
        this.model = model;
        this.prompts = new PromptEncoder(model);
    }

    public GenerationResult generate(GenerationRequest request, ProgressListener progress) {
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope requestScope = new PointerScope()) {
            int batch = request.batchSize();
            boolean guided = request.guidance() > 1.0;
            SchedulerKind kind = request.scheduler() == null ? model.defaultScheduler() : request.scheduler();
            Scheduler scheduler = kind.create(model.schedulerConfig());
            Scheduler.Run run = scheduler.start(request.steps());

            Conditioning cond = conditioning(request, guided);
            int channels = model.unet().config().inChannels();
            long[] shape = {batch, channels, request.height() / model.vaeScale(), request.width() / model.vaeScale()};
            int perImage = Math.toIntExact(shape[1] * shape[2] * shape[3]);
            List<GaussianNoise> noise = new ArrayList<>();
            long[] seeds = new long[batch];
            for (int i = 0; i < batch; i++) {
                seeds[i] = request.seed() + i;
                noise.add(new GaussianNoise(seeds[i]));
            }
            float[] latents = initialLatents(request, noise, perImage, shape);
            scale(latents, run.initNoiseSigma());

            double[] timesteps = run.timesteps();
            for (int i = 0; i < timesteps.length; i++) {
                try (PointerScope stepScope = new PointerScope()) {
                    float[] input = run.scaleModelInput(latents, i);
                    Tensor x = Torch.floats(input, shape).to(model.unet().precision().scalarType());
                    if (guided) {
                        x = Ops.cat(0, x, x);
                    }
                    Tensor t = run.integerTimesteps()
                            ? Torch.longs(new long[] {(long) timesteps[i]}, 1)
                            : Torch.floats(new float[] {(float) timesteps[i]}, 1);
                    Tensor predicted = model.unet().forward(x, t, cond);
                    if (guided) {
                        TensorVector halves = predicted.chunk(2, 0);
                        Tensor uncond = halves.get(0);
                        predicted = uncond.add(halves.get(1).sub(uncond).mul(new Scalar(request.guidance())));
                    }
                    float[] stepNoise = scheduler.needsNoise() ? drawNoise(noise, perImage) : null;
                    latents = run.step(Torch.toFloats(predicted), i, latents, stepNoise).prevSample();
                }
                progress.onStep(i + 1, timesteps.length);
            }
            return new GenerationResult(decode(latents, shape), latents, shape, seeds);
        }
    }

    /** Rows {@code [negative..., positive...]} when guided, else the positive prompts alone. */
    private Conditioning conditioning(GenerationRequest request, boolean guided) {
        int batch = request.batchSize();
        List<String> positive = Collections.nCopies(batch, request.prompt());
        List<String> all = new ArrayList<>();
        boolean zerosForNegative = guided && request.negativePrompt() == null && model.forceZerosForEmptyPrompt();
        if (guided && !zerosForNegative) {
            all.addAll(Collections.nCopies(batch, request.negativePrompt() == null ? "" : request.negativePrompt()));
        }
        all.addAll(positive);
        PromptEmbeddings e = prompts.encode(all);
        Tensor context = e.context();
        Tensor pooled = e.pooled();
        if (zerosForNegative) {
            context = Ops.cat(0, torch.zeros_like(context), context);
            pooled = pooled == null ? null : Ops.cat(0, torch.zeros_like(pooled), pooled);
        }
        Tensor timeIds = null;
        if (model.unet().config().hasTextTimeEmbedding()) {
            // SDXL size conditioning: original size, crop top-left, target size, all the output size.
            int rows = Math.toIntExact(context.size(0));
            float[] ids = new float[rows * 6];
            for (int row = 0; row < rows; row++) {
                float[] one = {request.height(), request.width(), 0, 0, request.height(), request.width()};
                System.arraycopy(one, 0, ids, row * 6, 6);
            }
            timeIds = Torch.floats(ids, rows, 6);
        }
        ScalarType type = model.unet().precision().scalarType();
        return new Conditioning(context.to(type), null, pooled == null ? null : pooled.to(type), timeIds);
    }

    private static float[] initialLatents(GenerationRequest request, List<GaussianNoise> noise, int perImage, long[] shape) {
        int total = Math.multiplyExact(perImage, noise.size());
        if (request.initNoise() != null) {
            if (request.initNoise().length != total) {
                throw new IllegalArgumentException("the initial noise has " + request.initNoise().length
                        + " values but " + java.util.Arrays.toString(shape) + " latents need " + total);
            }
            return request.initNoise().clone();
        }
        return drawNoise(noise, perImage);
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
        for (int b = 0; b < shape[0]; b++) {
            try (PointerScope scope = new PointerScope()) {
                int per = Math.toIntExact(shape[1] * shape[2] * shape[3]);
                float[] one = java.util.Arrays.copyOfRange(latents, b * per, (b + 1) * per);
                Tensor image = model.vae().toImage(Torch.floats(one, 1, shape[1], shape[2], shape[3]));
                images.add(Images.fromTensor(image));
            }
        }
        return images;
    }
}
