package dev.inkwell.nn;

import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code Attention}: projections {@code to_q}, {@code to_k}, {@code to_v} and
 * {@code to_out.0}, computed with the backend's scaled-dot-product attention. Old VAE
 * checkpoints name the same projections {@code query}, {@code key}, {@code value} and
 * {@code proj_attn}; both spellings load.
 */
public final class Attention {
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final long heads;

    /**
     * @param queryDim channels of the sequence that asks
     * @param contextDim channels of the sequence attended to (the query's own for self-attention)
     * @param qkvBias whether the q/k/v projections have biases (VAE yes, UNet no)
     */
    public Attention(Weights w, long queryDim, long contextDim, long heads, long headDim, boolean qkvBias) {
        long inner = heads * headDim;
        boolean legacy = !w.has("to_q.weight") && w.has("query.weight");
        toQ = new Linear(w.at(legacy ? "query" : "to_q"), queryDim, inner, qkvBias);
        toK = new Linear(w.at(legacy ? "key" : "to_k"), contextDim, inner, qkvBias);
        toV = new Linear(w.at(legacy ? "value" : "to_v"), contextDim, inner, qkvBias);
        toOut = new Linear(legacy ? w.at("proj_attn") : w.at("to_out", 0), inner, queryDim, true);
        this.heads = heads;
    }

    /**
     * @param x {@code [B, Lq, queryDim]}
     * @param context {@code [B, Lk, contextDim]}, or {@code null} for self-attention
     * @param keyMask {@code null}, or booleans {@code [B, Lk]}, true for keys that may be seen
     */
    public Tensor forward(Tensor x, Tensor context, Tensor keyMask) {
        return Torch.scoped(() -> {
            Tensor kv = context == null ? x : context;
            Tensor mask = keyMask == null ? null : keyMask.view(keyMask.size(0), 1, 1, keyMask.size(1));
            Tensor out = Ops.attention(toQ.forward(x), toK.forward(kv), toV.forward(kv), heads, mask, false);
            return toOut.forward(out);
        });
    }
}
