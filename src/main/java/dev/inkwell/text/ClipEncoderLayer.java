package dev.inkwell.text;

import dev.inkwell.nn.LayerNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/** One pre-norm transformer layer of CLIP's text tower ({@code encoder.layers.N}). */
final class ClipEncoderLayer {
    private final LayerNorm layerNorm1;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final LayerNorm layerNorm2;
    private final Linear fc1;
    private final Linear fc2;
    private final long heads;
    private final boolean quickGelu;

    ClipEncoderLayer(Weights w, ClipTextConfig c) {
        long d = c.hiddenSize();
        layerNorm1 = new LayerNorm(w.at("layer_norm1"), d, c.layerNormEps());
        Weights attn = w.at("self_attn");
        qProj = new Linear(attn.at("q_proj"), d, d, true);
        kProj = new Linear(attn.at("k_proj"), d, d, true);
        vProj = new Linear(attn.at("v_proj"), d, d, true);
        outProj = new Linear(attn.at("out_proj"), d, d, true);
        layerNorm2 = new LayerNorm(w.at("layer_norm2"), d, c.layerNormEps());
        fc1 = new Linear(w.at("mlp").at("fc1"), d, c.intermediateSize(), true);
        fc2 = new Linear(w.at("mlp").at("fc2"), c.intermediateSize(), d, true);
        heads = c.heads();
        quickGelu = switch (c.hiddenAct()) {
            case "quick_gelu" -> true;
            case "gelu" -> false;
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + c.hiddenAct() + "'");
        };
    }

    /** Causal self-attention then the MLP, each with a residual connection. */
    Tensor forward(Tensor x) {
        return Torch.scoped(() -> {
            Tensor h = layerNorm1.forward(x);
            Tensor attended = Ops.attention(qProj.forward(h), kProj.forward(h), vProj.forward(h), heads, null, true);
            Tensor y = x.add(outProj.forward(attended));
            h = fc1.forward(layerNorm2.forward(y));
            h = quickGelu ? Ops.quickGelu(h) : Ops.gelu(h);
            return y.add(fc2.forward(h));
        });
    }
}
