package dev.inkwell.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.ComponentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Stable Diffusion model loaded from a diffusers folder ({@code model_index.json} plus one
 * folder per component): tokenizers, text encoders, UNet, VAE and the scheduler config.
 */
public final class StableDiffusion implements AutoCloseable {
    private final Path folder;
    private final ModelFamily family;
    private final ClipTokenizer tokenizer;
    private final ClipTextModel textEncoder;
    private final ClipTokenizer tokenizer2;
    private final ClipTextModel textEncoder2;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final SchedulerConfig schedulerConfig;
    private final boolean forceZerosForEmptyPrompt;

    private StableDiffusion(Path folder, Precision precision) {
        this.folder = folder;
        JsonNode index = readIndex(folder);
        boolean xl = index.has("text_encoder_2") && !index.get("text_encoder_2").get(0).isNull();
        ClipTokenizer tok = null;
        ClipTextModel te = null;
        ClipTokenizer tok2 = null;
        ClipTextModel te2 = null;
        UNet2DConditionModel u = null;
        AutoencoderKL v = null;
        try {
            tok = ClipTokenizer.fromDirectory(folder.resolve("tokenizer"));
            te = loadTextEncoder(folder.resolve("text_encoder"), precision);
            if (xl) {
                tok2 = ClipTokenizer.fromDirectory(folder.resolve("tokenizer_2"));
                te2 = loadTextEncoder(folder.resolve("text_encoder_2"), precision);
            }
            u = UNet2DConditionModel.load(folder.resolve("unet"), ComponentFiles.open(folder.resolve("unet")), precision);
            v = AutoencoderKL.load(folder.resolve("vae"), ComponentFiles.open(folder.resolve("vae")), precision);
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
        this.schedulerConfig = SchedulerConfig.read(folder.resolve("scheduler").resolve("scheduler_config.json"));
        this.forceZerosForEmptyPrompt = index.path("force_zeros_for_empty_prompt").asBoolean(xl);
    }

    /** Loads a diffusers folder; weights stored in any float dtype are converted to {@code precision}. */
    public static StableDiffusion load(Path folder, Precision precision) {
        return new StableDiffusion(folder, precision);
    }

    private static ClipTextModel loadTextEncoder(Path dir, Precision precision) {
        return ClipTextModel.load(dir, ComponentFiles.open(dir), precision);
    }

    private static JsonNode readIndex(Path folder) {
        Path index = folder.resolve("model_index.json");
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(folder + ": not a diffusers model folder (no model_index.json)");
        }
        try {
            return new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": " + e.getMessage(), e);
        }
    }

    public Path folder() {
        return folder;
    }

    public ModelFamily family() {
        return family;
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
