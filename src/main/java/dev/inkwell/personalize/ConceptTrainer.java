package dev.inkwell.personalize;

import dev.inkwell.nn.AttentionProcessor;
import dev.inkwell.nn.AttentionProcessors;
import dev.inkwell.nn.Ops;
import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.scheduler.NoiseSchedule;
import dev.inkwell.scheduler.Scheduler;
import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Torch;
import dev.inkwell.train.AdamW;
import dev.inkwell.unet.Conditioning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Custom Diffusion training with ClassDiffusion's Semantic Preservation Loss, as the released
 * {@code train_class_diffusion.py} computes a step. What trains is chosen by {@link
 * TrainableParameters}: every cross-attention {@code to_k}/{@code to_v} and the new tokens' rows;
 * everything else is frozen. Losses are computed apart from the update, so that the denoising
 * loss, SPL and the prior-preservation loss add as the caller chooses.
 */
public final class ConceptTrainer implements AutoCloseable {
    /** The key of the learned tokens' rows among the trained parameters. */
    public static final String TOKEN_ROWS = "text_model.embeddings.added_tokens";

    /**
     * Custom Diffusion's cross-attention: the keys and values of the start token are detached, so
     * that it adds nothing to the key/value gradients (the values are unchanged).
     */
    static final AttentionProcessor START_TOKEN_DETACHED = (attn, x, context, keyMask) -> {
        Tensor k = detachFirst(attn.key(context));
        Tensor v = detachFirst(attn.value(context));
        return attn.output(attn.attend(attn.query(x), k, v, keyMask));
    };

    /**
     * @param learningRate the constant learning rate (after the original's scaling, see {@link Personalization})
     * @param splWeight weight of the Semantic Preservation Loss, 0 for plain Custom Diffusion
     * @param releasedTokenDecay the released code's AdamW also decays every other row of the token
     *     embedding (their gradients are zeroed, their decay is not); off, every other row stays
     *     bit-identical
     * @param maxGradNorm global gradient clipping norm
     * @param keyValues whether the cross-attention keys and values train (off: the token's row alone,
     *     textual inversion)
     */
    public record Settings(double learningRate, double splWeight, Pooling pooling, boolean releasedTokenDecay,
            double maxGradNorm, boolean keyValues) {
        public Settings {
            if (!(learningRate > 0) || !(splWeight >= 0) || !(maxGradNorm > 0)) {
                throw new IllegalArgumentException("learning rate and clipping norm must be positive, SPL weight at least 0");
            }
        }
    }

    private final StableDiffusion model;
    private final List<Concept> concepts;
    private final Settings settings;
    private final NoiseSchedule schedule;
    /** The model's, with diffusers' default (epsilon) where its scheduler config names none. */
    private final PredictionType predictionType;
    private final Map<String, Tensor> trained;
    private final AdamW optimizer;
    private final SemanticPreservationLoss spl;

    /** @param model loaded with the concepts' tokens added ({@link Personalization#load}); trained in place */
    public ConceptTrainer(StableDiffusion model, List<Concept> concepts, Settings settings) {
        this.model = model;
        this.concepts = List.copyOf(concepts);
        this.settings = settings;
        Scheduler ddpm = SchedulerKind.DDPM.create(model.schedulerConfig());
        this.schedule = ddpm.schedule();
        this.predictionType = ddpm.config().predictionType();
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.unet().parameters().forEach((key, p) -> {
            if (settings.keyValues() && TrainableParameters.CROSS_ATTENTION_KEY_VALUE.test(key)) {
                params.put(key, p);
            }
        });
        if (model.textEncoder().addedRows() == null) {
            throw new IllegalArgumentException("the model was loaded without the concepts' tokens");
        }
        params.put(TOKEN_ROWS, model.textEncoder().addedRows());
        this.trained = java.util.Collections.unmodifiableMap(params);
        this.optimizer = new AdamW(trained, new AdamW.Options(0.9, 0.999, 1e-8, 1e-2));
        this.spl = new SemanticPreservationLoss(model.tokenizer(), model.textEncoder(), settings.pooling());
    }

    /** The trained parameters by key: the UNet's cross-attention projections and {@link #TOKEN_ROWS}. */
    public Map<String, Tensor> parameters() {
        return trained;
    }

    /** The training timesteps {@code t} are drawn from: 0 to this, exclusive. */
    public int trainingTimesteps() {
        return schedule.size();
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** The prompts' text embeddings {@code [B, 77, D]}, with gradients reaching the learned rows. */
    public Tensor encode(List<String> prompts) {
        return model.textEncoder().encode(model.tokenizer().encodeForModel(prompts)).lastHiddenState();
    }

    /**
     * The denoising loss of noised {@code latents}, masked to each picture's valid region: per sample
     * {@code sum(err * mask) / sum(mask)} over channels and cells (the mask counted once per cell, as
     * the original), then the mean over samples.
     *
     * @param latents clean latents {@code [B, C, h, w]} (scaled)
     * @param mask {@code [B, 1, h, w]}, 1 where the picture is
     */
    public Tensor denoisingLoss(Tensor latents, Tensor noise, long[] timesteps, Tensor mask, Tensor context) {
        return maskedMean(squaredError(latents, noise, timesteps, context), mask);
    }

    /** {@link #denoisingLoss}'s masked mean of a squared error {@code [B, C, h, w]}. */
    public static Tensor maskedMean(Tensor error, Tensor mask) {
        return error.mul(mask).sum(new long[] {1, 2, 3}).div(mask.sum(new long[] {1, 2, 3})).mean();
    }

    /**
     * The squared error {@code [B, C, h, w]} of the UNet's prediction on {@code latents} noised to
     * {@code timesteps} (DDPM's forward process), against the model's prediction target.
     */
    public Tensor squaredError(Tensor latents, Tensor noise, long[] timesteps, Tensor context) {
        int batch = timesteps.length;
        float[] signal = new float[batch];
        float[] noiseScale = new float[batch];
        for (int i = 0; i < batch; i++) {
            double acp = schedule.alphaCumprod((int) timesteps[i]);
            signal[i] = (float) Math.sqrt(acp);
            noiseScale[i] = (float) Math.sqrt(1 - acp);
        }
        Tensor a = Torch.floats(signal, batch, 1, 1, 1);
        Tensor s = Torch.floats(noiseScale, batch, 1, 1, 1);
        Tensor noisy = latents.mul(a).add(noise.mul(s));
        Tensor target = switch (predictionType) {
            case EPSILON -> noise;
            case V_PREDICTION -> noise.mul(a).sub(latents.mul(s));
            case SAMPLE -> latents;
        };
        Tensor predicted = model.unet().forward(noisy, Torch.longs(timesteps, batch),
                Conditioning.text(context).withProcessors(AttentionProcessors.crossAttention(START_TOKEN_DETACHED)));
        return predicted.sub(target).square();
    }

    /** The Semantic Preservation Loss averaged over the concepts, unweighted. */
    public Tensor semanticPreservationLoss() {
        Tensor sum = null;
        for (Concept c : concepts) {
            Tensor one = spl.loss(c.token(), c.classWord());
            sum = sum == null ? one : sum.add(one);
        }
        return sum.div(new Scalar(concepts.size()));
    }

    /** Backpropagates {@code loss} and {@link #applyGradients applies} the gradients; returns the norm before clipping. */
    public double update(Tensor loss) {
        loss.backward();
        return applyGradients();
    }

    /**
     * Clips the gradients, steps AdamW (and, with {@link Settings#releasedTokenDecay}, decays the
     * vocabulary's rows as the released code's optimizer does), and zeroes the gradients.
     */
    public double applyGradients() {
        double norm = optimizer.clipGradNorm(settings.maxGradNorm());
        optimizer.step(settings.learningRate());
        if (settings.releasedTokenDecay()) {
            try (NoGradGuard noGrad = new NoGradGuard()) {
                model.textEncoder().parameters().get(TrainableParameters.TOKEN_EMBEDDING)
                        .mul_(new Scalar(1 - settings.learningRate() * 1e-2));
            }
        }
        optimizer.zeroGrad();
        return norm;
    }

    private static Tensor detachFirst(Tensor t) {
        long length = t.size(1);
        return length == 1 ? t.detach() : Ops.cat(1, t.narrow(1, 0, 1).detach(), t.narrow(1, 1, length - 1));
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
