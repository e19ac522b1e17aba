package dev.inkwell.pipeline;

import dev.inkwell.prompt.ChunkedPrompt;
import java.util.Collections;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Encoded prompts, one row per prompt.
 *
 * @param context the UNet's cross-attention input {@code [B, L, D]}; L is 77 times the largest
 *     number of 75-token chunks in the batch
 * @param mask {@code null} when every row has the same length, else booleans {@code [B, L]}
 *     that are false on the zero padding of shorter rows
 * @param pooled SDXL's pooled text embedding {@code [B, P]}, else {@code null}
 * @param tokens per row, the first tokenizer's chunks of its prompt, with the sequence positions of
 *     its named parts ({@link ChunkedPrompt#positions}); {@code null} for an all-zero row
 * @param encoderWidths the channels each text encoder contributes to D, in order ({@code [768,
 *     1280]} on SDXL, whose context concatenates both encoders' states)
 */
public record PromptEmbeddings(Tensor context, Tensor mask, Tensor pooled, List<ChunkedPrompt> tokens,
        List<Integer> encoderWidths) {

    public PromptEmbeddings {
        tokens = Collections.unmodifiableList(new java.util.ArrayList<>(tokens));
        encoderWidths = List.copyOf(encoderWidths);
    }

    /** The same rows with another context and mask (an edit). */
    public PromptEmbeddings withContext(Tensor c, Tensor m) {
        return new PromptEmbeddings(c, m, pooled, tokens, encoderWidths);
    }
}
