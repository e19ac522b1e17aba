package dev.inkwell.checkpoint;

import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.List;

/**
 * The single-file checkpoint layouts Inkwell loads. Each names where its text encoders are stored
 * and the folder of standard diffusers configs shipped for it
 * ({@code src/main/resources/dev/inkwell/checkpoint/<folder>}, see ORIGIN.md there).
 */
public enum CheckpointType {
    /** SD 1.x: OpenAI CLIP ViT-L/14, configs of runwayml/stable-diffusion-v1-5. */
    SD1("sd1", new TextEncoder("cond_stage_model.transformer.", false)),
    /** SD 2.x: OpenCLIP ViT-H/14, configs of stabilityai/stable-diffusion-2-1. */
    SD2("sd2", new TextEncoder("cond_stage_model.model.", true)),
    /** SDXL base: CLIP ViT-L/14 and OpenCLIP ViT-bigG/14, configs of stabilityai/stable-diffusion-xl-base-1.0. */
    SDXL("sdxl", new TextEncoder("conditioner.embedders.0.transformer.", false),
            new TextEncoder("conditioner.embedders.1.model.", true));

    /** Every type stores its UNet under this prefix. */
    static final String UNET_PREFIX = "model.diffusion_model.";
    /** Every type stores its VAE under this prefix. */
    static final String VAE_PREFIX = "first_stage_model.";

    /**
     * Where a text encoder's tensors are stored and in which naming: transformers' CLIP names
     * (kept as they are) or OpenCLIP's (converted). OpenCLIP's tokenizer pads with "!", OpenAI's
     * with the end-of-text token.
     */
    record TextEncoder(String prefix, boolean openClip) {
        /** The token embedding matrix {@code [vocabulary, width]}, present in every checkpoint of this encoder. */
        String tokenEmbedding() {
            return prefix + (openClip ? "" : "text_model.embeddings.") + "token_embedding.weight";
        }

        ClipTokenizer defaultTokenizer() {
            return openClip ? ClipTokenizer.openAiDefault("!") : ClipTokenizer.openAiDefault();
        }
    }

    private final String folder;
    private final List<TextEncoder> textEncoders;

    CheckpointType(String folder, TextEncoder... textEncoders) {
        this.folder = folder;
        this.textEncoders = List.of(textEncoders);
    }

    /** The classpath folder of this type's standard configs. */
    String resourceFolder() {
        return "/dev/inkwell/checkpoint/" + folder + "/";
    }

    /**
     * The text encoder behind a diffusers component ({@code text_encoder}, {@code text_encoder_2})
     * or its tokenizer ({@code tokenizer}, {@code tokenizer_2}); {@code null} if this type has none.
     */
    TextEncoder textEncoder(String component) {
        int index = switch (component) {
            case "text_encoder", "tokenizer" -> 0;
            case "text_encoder_2", "tokenizer_2" -> 1;
            default -> Integer.MAX_VALUE;
        };
        return index < textEncoders.size() ? textEncoders.get(index) : null;
    }

    List<TextEncoder> textEncoders() {
        return textEncoders;
    }
}
