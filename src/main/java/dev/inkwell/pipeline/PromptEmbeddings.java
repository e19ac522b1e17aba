package dev.inkwell.pipeline;

import org.bytedeco.pytorch.Tensor;

/**
 * Encoded prompts, one row per prompt.
 *
 * @param context the UNet's cross-attention input {@code [B, L, D]}
 * @param pooled SDXL's pooled text embedding {@code [B, P]}, else {@code null}
 */
public record PromptEmbeddings(Tensor context, Tensor pooled) {}
