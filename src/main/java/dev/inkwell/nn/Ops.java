package dev.inkwell.nn;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Stateless operations shared by the models, named as the papers and diffusers name them. */
public final class Ops {
    private Ops() {}

    public static Tensor silu(Tensor x) {
        return OpProfile.time(() -> "silu", () -> torch.silu(x));
    }

    public static Tensor gelu(Tensor x) {
        return OpProfile.time(() -> "gelu", () -> torch.gelu(x));
    }

    /** OpenAI CLIP's approximation {@code x * sigmoid(1.702 x)}. */
    public static Tensor quickGelu(Tensor x) {
        return x.mul(torch.sigmoid(x.mul(new org.bytedeco.pytorch.Scalar(1.702))));
    }

    public static Tensor cat(long dim, Tensor... parts) {
        return torch.cat(new TensorVector(parts), dim);
    }

    /**
     * Multi-head scaled-dot-product attention on {@code [B, L, heads*d]} projections.
     *
     * @param mask {@code null}, or a boolean tensor broadcastable to {@code [B, heads, Lq, Lk]}
     *     that is true where a query may attend to a key
     * @param causal whether each query sees only keys at or before its position (CLIP's text
     *     transformer)
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, long heads, Tensor mask, boolean causal) {
        return OpProfile.time(() -> "attention " + q.size(1) + "x" + k.size(1) + " " + heads + " heads",
                () -> attentionIn32Bits(q, k, v, heads, mask, causal));
    }

    /**
     * libtorch's CPU attention kernel is far slower in bfloat16 than in float32
     * (docs/performance.md), so reduced precision attends in float32, which also keeps the
     * softmax's sums in float32, and comes back.
     */
    private static Tensor attentionIn32Bits(Tensor q, Tensor k, Tensor v, long heads, Tensor mask, boolean causal) {
        ScalarType type = q.scalar_type().intern();
        if (type == ScalarType.Float || type == ScalarType.Double) {
            return multiHead(q, k, v, heads, mask, causal);
        }
        return multiHead(q.to(ScalarType.Float), k.to(ScalarType.Float), v.to(ScalarType.Float), heads, mask, causal)
                .to(type);
    }

    private static Tensor multiHead(Tensor q, Tensor k, Tensor v, long heads, Tensor mask, boolean causal) {
        long b = q.size(0);
        long lq = q.size(1);
        long inner = q.size(2);
        long d = inner / heads;
        Tensor qh = q.view(b, lq, heads, d).transpose(1, 2);
        Tensor kh = k.view(b, k.size(1), heads, d).transpose(1, 2);
        Tensor vh = v.view(b, v.size(1), heads, d).transpose(1, 2);
        Tensor out = torch.scaled_dot_product_attention(qh, kh, vh,
                mask == null ? new TensorOptional() : new TensorOptional(mask), 0.0, causal,
                new DoubleOptional(), false);
        return out.transpose(1, 2).reshape(b, lq, inner);
    }
}
