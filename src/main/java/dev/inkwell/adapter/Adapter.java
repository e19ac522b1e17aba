package dev.inkwell.adapter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learned concept as Custom Diffusion and ClassDiffusion make it: new tokens with their
 * embedding rows, and new key/value projections for every cross-attention module of the UNet.
 * Applying it is exactly "add the token rows, replace the cross-attention {@code to_k}/{@code
 * to_v} weights" (what diffusers' Custom Diffusion processors compute).
 *
 * @param tokens token to embedding row ({@code [hidden]} of the text encoder), in order
 * @param secondTokens token to its row for SDXL's second text encoder (an SDXL embedding's
 *     {@code clip_g}, beside {@code clip_l} in {@code tokens}); empty for SD 1.x/2.x embeddings
 * @param keyValues attention module path (e.g. {@code down_blocks.0.attentions.0.transformer_blocks.0.attn2})
 *     to its new projections; empty for an embedding alone (textual inversion)
 */
public record Adapter(Map<String, float[]> tokens, Map<String, float[]> secondTokens, Map<String, KeyValue> keyValues) {

    /** The {@code to_k} and {@code to_v} weights of one module, {@code [inner, contextDim]} each. */
    public record KeyValue(float[] key, float[] value, long[] shape) {
        public KeyValue {
            if (shape.length != 2 || key.length != shape[0] * shape[1] || value.length != key.length) {
                throw new IllegalArgumentException("key and value weights must both be " + java.util.Arrays.toString(shape));
            }
        }
    }

    public Adapter {
        tokens = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        secondTokens = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secondTokens));
        keyValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyValues));
        if (tokens.isEmpty() && keyValues.isEmpty()) {
            throw new IllegalArgumentException("an adapter needs a token or key/value weights");
        }
        if (!tokens.keySet().containsAll(secondTokens.keySet())) {
            throw new IllegalArgumentException("a second-encoder row needs the token's first-encoder row too");
        }
    }

    /** An adapter for a model with one text encoder (SD 1.x/2.x). */
    public Adapter(Map<String, float[]> tokens, Map<String, KeyValue> keyValues) {
        this(tokens, Map.of(), keyValues);
    }
}
