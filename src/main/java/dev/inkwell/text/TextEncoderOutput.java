package dev.inkwell.text;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * What a CLIP text encoder computes for a batch of token ids.
 *
 * @param hiddenStates {@code [0]} is token plus position embeddings, {@code [k]} the output of
 *     layer k, without the final LayerNorm; {@code hiddenStates.get(size-2)} is the penultimate
 *     state SDXL uses
 * @param lastHiddenState the last layer after the final LayerNorm (SD 1.x prompt embeddings)
 * @param pooled the final-LayerNorm state at each sequence's end-of-text token
 * @param textEmbeds {@code pooled} through the text projection, or {@code null} for a model
 *     without one
 */
public record TextEncoderOutput(
        List<Tensor> hiddenStates, Tensor lastHiddenState, Tensor pooled, Tensor textEmbeds) {

    /** The output of layer {@code layers - skip}: skip 0 is the last layer, 1 the penultimate. */
    public Tensor hiddenStateFromEnd(int skip) {
        int index = hiddenStates.size() - 1 - skip;
        if (skip < 0 || index < 0) {
            throw new IllegalArgumentException("the text encoder has only " + (hiddenStates.size() - 1)
                    + " layers; cannot skip " + skip);
        }
        return hiddenStates.get(index);
    }
}
