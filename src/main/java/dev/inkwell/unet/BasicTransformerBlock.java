package dev.inkwell.unet;

import dev.inkwell.nn.Attention;
import dev.inkwell.nn.LayerNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * diffusers' {@code BasicTransformerBlock}: self-attention ({@code attn1}), cross-attention to
 * the text ({@code attn2}) and a GEGLU feed-forward ({@code ff.net.0.proj}, {@code ff.net.2}),
 * each after a LayerNorm and with a residual connection.
 */
final class BasicTransformerBlock {
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final Linear geglu;
    private final Linear ffOut;

    BasicTransformerBlock(Weights w, long dim, long heads, long contextDim) {
        long headDim = dim / heads;
        norm1 = new LayerNorm(w.at("norm1"), dim, 1e-5);
        attn1 = new Attention(w.at("attn1"), dim, dim, heads, headDim, false, false);
        norm2 = new LayerNorm(w.at("norm2"), dim, 1e-5);
        attn2 = new Attention(w.at("attn2"), dim, contextDim, heads, headDim, false, true);
        norm3 = new LayerNorm(w.at("norm3"), dim, 1e-5);
        long inner = dim * 4;
        geglu = new Linear(w.at("ff").at("net", 0).at("proj"), dim, inner * 2, true);
        ffOut = new Linear(w.at("ff").at("net", 2), inner, dim, true);
    }

    Tensor forward(Tensor x, Conditioning cond) {
        return Torch.scoped(() -> {
            Tensor h = x.add(attn1.forward(norm1.forward(x), null, null, cond.processors()));
            h = h.add(attn2.forward(norm2.forward(h), cond.context(), cond.contextMask(), cond.processors()));
            TensorVector halves = geglu.forward(norm3.forward(h)).chunk(2, -1);
            Tensor gated = halves.get(0).mul(Ops.gelu(halves.get(1)));
            return h.add(ffOut.forward(gated));
        });
    }
}
