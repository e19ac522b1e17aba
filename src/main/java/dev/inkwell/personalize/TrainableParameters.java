package dev.inkwell.personalize;

import java.util.function.Predicate;

/** Which of a model's parameters a personalization trains, by checkpoint key. */
public final class TrainableParameters {
    /** The text encoder's vocabulary rows. */
    public static final String TOKEN_EMBEDDING = "text_model.embeddings.token_embedding.weight";

    /** Custom Diffusion's {@code crossattn_kv}: the key and value projections of every cross-attention module. */
    public static final Predicate<String> CROSS_ATTENTION_KEY_VALUE =
            key -> key.endsWith(".attn2.to_k.weight") || key.endsWith(".attn2.to_v.weight");

    private TrainableParameters() {}
}
