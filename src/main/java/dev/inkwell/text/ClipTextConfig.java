package dev.inkwell.text;

import dev.inkwell.nn.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields of a transformers {@code CLIPTextConfig} that shape the text encoder. */
public record ClipTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int layers,
        int heads,
        int maxPositions,
        String hiddenAct,
        double layerNormEps,
        int eosTokenId,
        int projectionDim,
        boolean withProjection) {

    public static ClipTextConfig from(Config c) {
        boolean withProjection = c.has("architectures")
                && c.strings("architectures").contains("CLIPTextModelWithProjection");
        return new ClipTextConfig(
                c.integer("vocab_size", 49408),
                c.integer("hidden_size", 512),
                c.integer("intermediate_size", 2048),
                c.integer("num_hidden_layers", 12),
                c.integer("num_attention_heads", 8),
                c.integer("max_position_embeddings", 77),
                c.string("hidden_act", "quick_gelu"),
                c.real("layer_norm_eps", 1e-5),
                c.integer("eos_token_id", 2),
                c.integer("projection_dim", 512),
                withProjection);
    }

    /** The same tower with or without its {@code text_projection}. */
    public ClipTextConfig withProjection(boolean projection) {
        return new ClipTextConfig(vocabSize, hiddenSize, intermediateSize, layers, heads, maxPositions, hiddenAct,
                layerNormEps, eosTokenId, projectionDim, projection);
    }

    /** The same tower cut after its first {@code n} layers. */
    public ClipTextConfig withLayers(int n) {
        return new ClipTextConfig(vocabSize, hiddenSize, intermediateSize, n, heads, maxPositions, hiddenAct,
                layerNormEps, eosTokenId, projectionDim, withProjection);
    }

    /** The transformers config fields, for {@code config.json} or a {@code CLIPModel}'s {@code text_config}. */
    public Map<String, Object> fields() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architectures", List.of(withProjection ? "CLIPTextModelWithProjection" : "CLIPTextModel"));
        json.put("model_type", "clip_text_model");
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", layers);
        json.put("num_attention_heads", heads);
        json.put("max_position_embeddings", maxPositions);
        json.put("hidden_act", hiddenAct);
        json.put("layer_norm_eps", layerNormEps);
        json.put("eos_token_id", eosTokenId);
        json.put("projection_dim", projectionDim);
        json.put("torch_dtype", "float32");
        return json;
    }
}
