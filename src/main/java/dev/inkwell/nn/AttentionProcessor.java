package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * How one {@link Attention} module turns its input into its output, as diffusers' attention
 * processors: the seam through which story mode adds keys, personalization brings its own
 * key/value projections and attention maps are read, without changing the models. {@link #DEFAULT}
 * is the module's own computation (diffusers' {@code AttnProcessor2_0}).
 */
@FunctionalInterface
public interface AttentionProcessor {
    AttentionProcessor DEFAULT = (attn, x, context, keyMask) ->
            attn.output(attn.attend(attn.query(x), attn.key(context), attn.value(context), keyMask));

    /**
     * @param attn the module, for its projections, heads and checkpoint path
     * @param x the queries' input {@code [B, Lq, queryDim]}
     * @param context what is attended to {@code [B, Lk, contextDim]}: the text for
     *     cross-attention, {@code x} itself for self-attention
     * @param keyMask {@code null}, or booleans {@code [B, Lk]} (or broadcastable to {@code [B,
     *     heads, Lq, Lk]}), true for keys that may be seen
     * @return {@code [B, Lq, queryDim]}
     */
    Tensor process(Attention attn, Tensor x, Tensor context, Tensor keyMask);
}
