package dev.inkwell.text;

import dev.inkwell.nn.Config;

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
}
