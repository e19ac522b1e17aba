package dev.inkwell.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inkwell.adapter.Adapters;
import dev.inkwell.checkpoint.DiffusersFolder;
import dev.inkwell.checkpoint.ModelParts;
import dev.inkwell.checkpoint.SingleFileCheckpoint;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.vae.VaeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A Stable Diffusion model: tokenizers, text encoders, UNet, VAE and the scheduler config, loaded
 * from a diffusers folder ({@code model_index.json} plus one folder per component) or from a
 * single-file checkpoint ({@code .safetensors} in the original naming, see {@link SingleFileCheckpoint}).
 */
public final class StableDiffusion implements AutoCloseable {
    private final ModelFamily family;
    private final ClipTokenizer tokenizer;
    private final ClipTextModel textEncoder;
    private final ClipTokenizer tokenizer2;
    private final ClipTextModel textEncoder2;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final SchedulerConfig schedulerConfig;
    private final boolean forceZerosForEmptyPrompt;

    private StableDiffusion(ModelParts parts, Precision precision, LoadOptions options) {
        JsonNode index = parts.index();
        boolean xl = index.has("text_encoder_2") && !index.get("text_encoder_2").get(0).isNull();
        ClipTokenizer tok = null;
        ClipTextModel te = null;
        ClipTokenizer tok2 = null;
        ClipTextModel te2 = null;
        UNet2DConditionModel u = null;
        AutoencoderKL v = null;
        Map<String, float[]> tokens = Adapters.tokens(options.adapters());
        Map<String, float[]> secondTokens = Adapters.secondTokens(options.adapters());
        requireRowsForEveryEncoder(tokens.keySet(), secondTokens.keySet(), xl);
        try {
            tok = parts.tokenizer("tokenizer").withAddedTokens(List.copyOf(tokens.keySet()));
            te = textEncoder(parts, "text_encoder", tokens, precision);
            if (xl) {
                tok2 = parts.tokenizer("tokenizer_2").withAddedTokens(List.copyOf(secondTokens.keySet()));
                te2 = textEncoder(parts, "text_encoder_2", secondTokens, precision);
            }
            u = new UNet2DConditionModel(UNetConfig.from(parts.config("unet")),
                    Adapters.overlay(parts.weights("unet"), Adapters.keyValues(options.adapters())), precision,
                    options.generationOnly());
            v = new AutoencoderKL(VaeConfig.from(parts.config("vae")), parts.weights("vae"), precision, options.generationOnly());
        } catch (RuntimeException e) {
            closeAll(te, te2, u, v);
            throw e;
        }
        this.tokenizer = tok;
        this.textEncoder = te;
        this.tokenizer2 = tok2;
        this.textEncoder2 = te2;
        this.unet = u;
        this.vae = v;
        this.family = xl ? ModelFamily.SDXL : tok.padId() == 0 ? ModelFamily.SD2 : ModelFamily.SD1;
        SchedulerConfig scheduler = parts.schedulerConfig();
        this.schedulerConfig = options.predictionType() == null ? scheduler : scheduler.withPredictionType(options.predictionType());
        this.forceZerosForEmptyPrompt = index.path("force_zeros_for_empty_prompt").asBoolean(xl);
    }

    /**
     * Loads a diffusers folder or a single-file checkpoint with the standard configs; weights stored
     * in any float dtype are converted to {@code precision}.
     */
    public static StableDiffusion load(Path model, Precision precision) {
        return load(model, precision, LoadOptions.DEFAULT);
    }

    /**
     * Loads a diffusers folder or a single-file checkpoint.
     *
     * @throws IllegalArgumentException if {@code options} name a config folder for a diffusers folder,
     *     which has its own configs
     */
    public static StableDiffusion load(Path model, Precision precision, LoadOptions options) {
        if (!Files.isDirectory(model)) {
            return new StableDiffusion(SingleFileCheckpoint.open(model, options.configFolder()), precision, options);
        }
        if (options.configFolder() != null) {
            throw new IllegalArgumentException(model + ": a config folder applies to single-file checkpoints only");
        }
        return new StableDiffusion(DiffusersFolder.open(model), precision, options);
    }

    /** Builds a model from parts that come from elsewhere (e.g. random weights for benchmarks). */
    public static StableDiffusion of(ModelParts parts, Precision precision) {
        return of(parts, precision, LoadOptions.DEFAULT);
    }

    /** {@link #of(ModelParts, Precision)} with adapters or other options. */
    public static StableDiffusion of(ModelParts parts, Precision precision, LoadOptions options) {
        return new StableDiffusion(parts, precision, options);
    }

    /**
     * An SDXL model needs each learned token's row for both text encoders (an SDXL embedding's
     * {@code clip_l} and {@code clip_g}); SD 1.x/2.x take single-encoder embeddings only.
     */
    private static void requireRowsForEveryEncoder(java.util.Set<String> tokens, java.util.Set<String> second, boolean xl) {
        for (String token : tokens) {
            if (xl && !second.contains(token)) {
                throw new IllegalArgumentException("the adapter's token " + token + " has one embedding row, for SD 1.x/2.x;"
                        + " an SDXL model needs an SDXL embedding (clip_l and clip_g rows)");
            }
            if (!xl && second.contains(token)) {
                throw new IllegalArgumentException("the adapter's token " + token + " is an SDXL embedding (clip_l and clip_g"
                        + " rows); this model is SD 1.x/2.x");
            }
        }
    }

    /** The text encoder {@code component} with the learned tokens' rows after its vocabulary. */
    private static ClipTextModel textEncoder(ModelParts parts, String component, Map<String, float[]> tokens, Precision precision) {
        ClipTextConfig config = ClipTextConfig.from(parts.config(component));
        Tensor rows = tokens.isEmpty() ? null : tokenRows(tokens, config.hiddenSize(), precision);
        return new ClipTextModel(config, Weights.root(parts.weights(component), precision), rows);
    }

    /** The adapters' token rows as one {@code [n, hidden]} tensor. */
    private static Tensor tokenRows(Map<String, float[]> tokens, int hidden, Precision precision) {
        float[] all = new float[tokens.size() * hidden];
        int i = 0;
        for (Map.Entry<String, float[]> t : tokens.entrySet()) {
            if (t.getValue().length != hidden) {
                throw new IllegalArgumentException("the adapter's token " + t.getKey() + " has " + t.getValue().length
                        + " values; this model's text encoder has " + hidden + " (it was trained on another base model)");
            }
            System.arraycopy(t.getValue(), 0, all, i++ * hidden, hidden);
        }
        return Torch.floats(all, tokens.size(), hidden).to(precision.scalarType());
    }

    public ModelFamily family() {
        return family;
    }

    /** The dtype the UNet computes in (an SDXL VAE that must stay float32 does so whatever this says). */
    public Precision precision() {
        return unet.precision();
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public ClipTextModel textEncoder() {
        return textEncoder;
    }

    /** SDXL's second tokenizer, or {@code null}. */
    public ClipTokenizer tokenizer2() {
        return tokenizer2;
    }

    /** SDXL's second text encoder (with projection), or {@code null}. */
    public ClipTextModel textEncoder2() {
        return textEncoder2;
    }

    public UNet2DConditionModel unet() {
        return unet;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** The scheduler the model ships with, or Euler when Inkwell does not implement that class. */
    public SchedulerKind defaultScheduler() {
        try {
            return SchedulerKind.fromClassName(schedulerConfig.className());
        } catch (IllegalArgumentException e) {
            return SchedulerKind.EULER;
        }
    }

    /** SDXL's rule: with no negative prompt, the unconditional embeddings are zeros. */
    public boolean forceZerosForEmptyPrompt() {
        return forceZerosForEmptyPrompt;
    }

    /** How many pixels one latent covers along each side. */
    public int vaeScale() {
        return vae.config().downscale();
    }

    /** The image side the model was trained at: the UNet's sample size in pixels. */
    public int nativeSize() {
        return unet.config().sampleSize() * vaeScale();
    }

    @Override
    public void close() {
        closeAll(textEncoder, textEncoder2, unet, vae);
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p != null) {
                try {
                    p.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
