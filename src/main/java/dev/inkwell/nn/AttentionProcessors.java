package dev.inkwell.nn;

/**
 * Chooses the {@link AttentionProcessor} of each attention module of a model, by the module's
 * checkpoint path and kind, as diffusers' {@code set_attn_processor} does with a dict.
 */
@FunctionalInterface
public interface AttentionProcessors {
    /** Every module computes as it always does. */
    AttentionProcessors DEFAULT = module -> AttentionProcessor.DEFAULT;

    AttentionProcessor of(Attention module);

    /** {@code processor} on every cross-attention module, the default elsewhere. */
    static AttentionProcessors crossAttention(AttentionProcessor processor) {
        return module -> module.isCrossAttention() ? processor : AttentionProcessor.DEFAULT;
    }
}
