package dev.inkwell.text;

import dev.inkwell.nn.LayerNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/** One pre-norm transformer layer of CLIP's text or vision tower ({@code encoder.layers.N}). */
public final class ClipEncoderLayer {
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

    /** The text tower's layer. */
    ClipEncoderLayer(Weights w, ClipTextConfig c) {
        this(w, c.hiddenSize(), c.intermediateSize(), c.heads(), c.hiddenAct(), c.layerNormEps());
    }

    public ClipEncoderLayer(Weights w, long d, long intermediate, long heads, String hiddenAct, double eps) {
        layerNorm1 = new LayerNorm(w.at("layer_norm1"), d, eps);
        Weights attn = w.at("self_attn");
        qProj = new Linear(attn.at("q_proj"), d, d, true);
        kProj = new Linear(attn.at("k_proj"), d, d, true);
        vProj = new Linear(attn.at("v_proj"), d, d, true);
        outProj = new Linear(attn.at("out_proj"), d, d, true);
        layerNorm2 = new LayerNorm(w.at("layer_norm2"), d, eps);
        fc1 = new Linear(w.at("mlp").at("fc1"), d, intermediate, true);
        fc2 = new Linear(w.at("mlp").at("fc2"), intermediate, d, true);
        this.heads = heads;
        quickGelu = switch (hiddenAct) {
            case "quick_gelu" -> true;
            case "gelu" -> false;
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + hiddenAct + "'");
        };
    }

    /** Self-attention (causal for text, over all patches for images) then the MLP, each with a residual connection. */
    public Tensor forward(Tensor x, boolean causal) {
        return Torch.scoped(() -> {
            Tensor h = layerNorm1.forward(x);
            Tensor attended = Ops.attention(qProj.forward(h), kProj.forward(h), vProj.forward(h), heads, null, causal);
            Tensor y = x.add(outProj.forward(attended));
            h = fc1.forward(layerNorm2.forward(y));
            h = quickGelu ? Ops.quickGelu(h) : Ops.gelu(h);
            return y.add(fc2.forward(h));
        });
    }
}
