package dev.inkwell.pipeline;

import org.bytedeco.pytorch.Tensor;

/**
 * Encoded prompts, one row per prompt.
 *
 * @param context the UNet's cross-attention input {@code [B, L, D]}; L is 77 times the largest
 *     number of 75-token chunks in the batch
 * @param mask {@code null} when every row has the same length, else booleans {@code [B, L]}
 *     that are false on the zero padding of shorter rows
 * @param pooled SDXL's pooled text embedding {@code [B, P]}, else {@code null}
 */
public record PromptEmbeddings(Tensor context, Tensor mask, Tensor pooled) {}
