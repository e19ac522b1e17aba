package dev.inkwell.train;

import dev.inkwell.scheduler.NoiseSchedule;
import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNet2DConditionModel;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * DDPM training of a UNet by epsilon prediction: noise clean latents to a uniformly drawn
 * timestep ({@code sqrt(acp_t) x0 + sqrt(1 - acp_t) eps}, per sample), predict {@code eps}, and
 * step the optimizer on the mean squared error, optionally weighted per timestep by Min-SNR-γ
 * (Hang et al. 2023) and per latent cell by the caller's emphasis. All randomness of step {@code n}
 * is drawn from (seed, n) alone, so a run resumed from a checkpoint continues bit for bit.
 */
public final class EpsilonTrainer {

    /**
     * @param captionDropout probability of training a sample on the empty prompt instead of its
     *     caption, which classifier-free guidance needs
     * @param maxGradNorm gradients are clipped to this global L2 norm
     * @param snrGamma Min-SNR-γ: each sample's error is weighted by {@code min(SNR_t, γ) / SNR_t}, which
     *     takes weight off the nearly clean timesteps, whose fine detail otherwise competes with the
     *     layout the noisy ones must learn; 0 gives DDPM's plain mean squared error
     */
    public record Settings(long seed, double captionDropout, double maxGradNorm, double snrGamma) {
        public Settings {
            if (!(snrGamma >= 0)) {
                throw new IllegalArgumentException("snrGamma must be 0 (off) or positive, not " + snrGamma);
            }
        }

        /** DDPM's objective: 10 % caption dropout, gradients clipped to norm 1, no timestep weighting. */
        public static Settings seeded(long seed) {
            return new Settings(seed, 0.1, 1.0, 0);
        }
    }

    /** What one step measured: the loss before the update and the gradient norm before clipping. */
    public record StepResult(double loss, double gradNorm) {}

    private final UNet2DConditionModel unet;
    private final NoiseSchedule schedule;
    private final AdamW optimizer;
    private final Ema ema;
    private final Tensor emptyContext;
    private final Settings settings;

    /**
     * @param optimizer over {@code unet.parameters()}
     * @param ema averaged after each step, or null
     * @param emptyContext the encoded empty prompt {@code [1, L, D]}, used for caption dropout
     */
    public EpsilonTrainer(UNet2DConditionModel unet, NoiseSchedule schedule, AdamW optimizer, Ema ema,
            Tensor emptyContext, Settings settings) {
        this.unet = unet;
        this.schedule = schedule;
        this.optimizer = optimizer;
        this.ema = ema;
        this.emptyContext = emptyContext;
        this.settings = settings;
    }

    /**
     * Training step number {@code step} (0-based) on a batch, with learning rate {@code lr}. Every
     * tensor the step creates is freed before it returns.
     *
     * @param latents clean latents {@code [B, C, h, w]}
     * @param context caption embeddings {@code [B, L, D]}
     * @param emphasis {@code [B, 1, h, w]}, at least 0: each latent cell's squared error counts
     *     {@code 1 + emphasis} times where the caption is kept (a dropped caption names nothing to
     *     emphasise); null for none
     */
    public StepResult step(long step, Tensor latents, Tensor context, Tensor emphasis, double lr) {
        int batch = Math.toIntExact(latents.size(0));
        SplittableRandom random = TrainingSteps.random(settings.seed(), step);
        long[] timesteps = new long[batch];
        float[] signal = new float[batch];
        float[] noiseScale = new float[batch];
        boolean[] dropCaption = new boolean[batch];
        float[] weight = new float[batch];
        for (int i = 0; i < batch; i++) {
            int t = random.nextInt(schedule.size());
            double acp = schedule.alphaCumprod(t);
            timesteps[i] = t;
            signal[i] = (float) Math.sqrt(acp);
            noiseScale[i] = (float) Math.sqrt(1 - acp);
            dropCaption[i] = random.nextDouble() < settings.captionDropout();
            weight[i] = (float) snrWeight(acp, settings.snrGamma());
        }
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(random.nextLong());
            Tensor noise = torch.randn(latents.sizes().vec().get(), new TensorOptions(latents.scalar_type()));
            Tensor noisy = latents.mul(Torch.floats(signal, batch, 1, 1, 1))
                    .add(noise.mul(Torch.floats(noiseScale, batch, 1, 1, 1)));
            Tensor cond = torch.where(Torch.bools(dropCaption, batch, 1, 1), emptyContext.expand_as(context), context);
            Tensor predicted = unet.forward(noisy, Torch.longs(timesteps, batch), Conditioning.text(cond));
            Tensor error = predicted.sub(noise).square();
            if (emphasis != null) {
                float[] kept = new float[batch];
                for (int i = 0; i < batch; i++) {
                    kept[i] = dropCaption[i] ? 0 : 1;
                }
                error = error.mul(emphasis.mul(Torch.floats(kept, batch, 1, 1, 1)).add(new Scalar(1.0)));
            }
            Tensor loss = error.mean(1, 2, 3).mul(Torch.floats(weight, batch)).mean();
            double lossValue = loss.item_double();
            return new StepResult(lossValue, TrainingSteps.update(loss, optimizer, ema, step, settings.maxGradNorm(), lr));
        }
    }

    /** The Min-SNR-γ weight of a timestep with cumulative alpha {@code acp}; 1 when {@code gamma} is 0 (off). */
    static double snrWeight(double acp, double gamma) {
        double snr = acp / (1 - acp);
        return gamma == 0 ? 1 : Math.min(snr, gamma) / snr;
    }
}
