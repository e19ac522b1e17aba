package dev.inkwell.clip;

import dev.inkwell.nn.Config;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of a transformers {@code CLIPVisionConfig} that shape the image tower. */
public record ClipVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int layers,
        int heads,
        int imageSize,
        int patchSize,
        String hiddenAct,
        double layerNormEps,
        int projectionDim) {

    public ClipVisionConfig {
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
    }

    public static ClipVisionConfig from(Config c) {
        return new ClipVisionConfig(
                c.integer("hidden_size", 768),
                c.integer("intermediate_size", 3072),
                c.integer("num_hidden_layers", 12),
                c.integer("num_attention_heads", 12),
                c.integer("image_size", 224),
                c.integer("patch_size", 32),
                c.string("hidden_act", "quick_gelu"),
                c.real("layer_norm_eps", 1e-5),
                c.integer("projection_dim", 512));
    }

    /** Patches per image, plus one for the class token. */
    public int positions() {
        int side = imageSize / patchSize;
        return side * side + 1;
    }

    public Map<String, Object> fields() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_type", "clip_vision_model");
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", layers);
        json.put("num_attention_heads", heads);
        json.put("image_size", imageSize);
        json.put("patch_size", patchSize);
        json.put("num_channels", 3);
        json.put("hidden_act", hiddenAct);
        json.put("layer_norm_eps", layerNormEps);
        json.put("projection_dim", projectionDim);
        return json;
    }
}
