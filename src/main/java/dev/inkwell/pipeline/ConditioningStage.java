package dev.inkwell.pipeline;

import dev.inkwell.nn.AttentionProcessors;

/**
 * What happens to the text conditioning between encoding and the denoising loop: edits of each
 * row's embeddings and the attention processors the UNet runs with. The rows' layout tells which
 * row is which image's unconditional, negative or positive input. Story mode and
 * personalization come in here; {@link #NONE} keeps the encoder's output.
 */
public interface ConditioningStage {
    ConditioningStage NONE = new ConditioningStage() {};

    /**
     * @param text the guided batch as encoded, one row per entry of {@code rows}
     * @param encoder the model's encoder, for stages that need other prompts encoded
     * @return the embeddings the UNet gets (may be longer than the input, with a mask)
     */
    default PromptEmbeddings edit(PromptEmbeddings text, GuidanceRows rows, PromptEncoder encoder) {
        return text;
    }

    /** The attention processors for this batch, given the edited embeddings. */
    default AttentionProcessors processors(PromptEmbeddings text, GuidanceRows rows) {
        return AttentionProcessors.DEFAULT;
    }
}
