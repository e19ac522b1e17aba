package dev.inkwell.nn;

import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code Attention}: projections {@code to_q}, {@code to_k}, {@code to_v} and
 * {@code to_out.0}, computed with the backend's scaled-dot-product attention. Old VAE
 * checkpoints name the same projections {@code query}, {@code key}, {@code value} and
 * {@code proj_attn}; both spellings load. How the parts are put together is up to an
 * {@link AttentionProcessor} chosen per call; the default is the usual computation.
 */
public final class Attention {
    private final String path;
    private final boolean crossAttention;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final long heads;

    /**
     * @param queryDim channels of the sequence that asks
     * @param contextDim channels of the sequence attended to (the query's own for self-attention)
     * @param qkvBias whether the q/k/v projections have biases (VAE yes, UNet no)
     * @param crossAttention whether it attends to a context other than its input (the text)
     */
    public Attention(Weights w, long queryDim, long contextDim, long heads, long headDim, boolean qkvBias,
            boolean crossAttention) {
        long inner = heads * headDim;
        boolean legacy = !w.has("to_q.weight") && w.has("query.weight");
        this.path = w.path();
        this.crossAttention = crossAttention;
        toQ = new Linear(w.at(legacy ? "query" : "to_q"), queryDim, inner, qkvBias);
        toK = new Linear(w.at(legacy ? "key" : "to_k"), contextDim, inner, qkvBias);
        toV = new Linear(w.at(legacy ? "value" : "to_v"), contextDim, inner, qkvBias);
        toOut = new Linear(legacy ? w.at("proj_attn") : w.at("to_out", 0), inner, queryDim, true);
        this.heads = heads;
    }

    /** The module's checkpoint path, e.g. {@code down_blocks.1.attentions.0.transformer_blocks.0.attn2}. */
    public String path() {
        return path;
    }

    public boolean isCrossAttention() {
        return crossAttention;
    }

    public long heads() {
        return heads;
    }

    /** The default computation; see {@link #forward(Tensor, Tensor, Tensor, AttentionProcessors)}. */
    public Tensor forward(Tensor x, Tensor context, Tensor keyMask) {
        return forward(x, context, keyMask, AttentionProcessors.DEFAULT);
    }

    /**
     * @param x {@code [B, Lq, queryDim]}
     * @param context {@code [B, Lk, contextDim]}, or {@code null} for self-attention
     * @param keyMask {@code null}, or booleans {@code [B, Lk]}, true for keys that may be seen
     */
    public Tensor forward(Tensor x, Tensor context, Tensor keyMask, AttentionProcessors processors) {
        return Torch.scoped(() -> processors.of(this).process(this, x, context == null ? x : context, keyMask));
    }

    public Tensor query(Tensor x) {
        return toQ.forward(x);
    }

    public Tensor key(Tensor context) {
        return toK.forward(context);
    }

    public Tensor value(Tensor context) {
        return toV.forward(context);
    }

    /**
     * Multi-head attention of projected queries over projected keys and values, {@code [B, L,
     * heads * d]} each.
     *
     * @param mask {@code null}, booleans {@code [B, Lk]}, or booleans broadcastable to {@code [B,
     *     heads, Lq, Lk]}; true where a query may attend to a key
     */
    public Tensor attend(Tensor q, Tensor k, Tensor v, Tensor mask) {
        Tensor m = mask == null || mask.dim() == 4 ? mask : mask.view(mask.size(0), 1, 1, mask.size(1));
        return Ops.attention(q, k, v, heads, m, false);
    }

    /** The output projection {@code to_out.0}. */
    public Tensor output(Tensor attended) {
        return toOut.forward(attended);
    }
}
