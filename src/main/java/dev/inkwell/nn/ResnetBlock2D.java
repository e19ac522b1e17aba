package dev.inkwell.nn;

import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code ResnetBlock2D}: two GroupNorm-SiLU-conv stages, the time embedding added
 * between them (UNet only), and a 1x1 {@code conv_shortcut} when the channel count changes.
 */
public final class ResnetBlock2D {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;

    /** @param timeChannels width of the time embedding, or 0 for the VAE's blocks, which have none */
    public ResnetBlock2D(Weights w, long in, long out, long timeChannels, long groups, double eps) {
        norm1 = new GroupNorm(w.at("norm1"), groups, in, eps);
        conv1 = new Conv2d(w.at("conv1"), in, out, 3, 1, 1);
        timeEmbProj = timeChannels > 0 ? new Linear(w.at("time_emb_proj"), timeChannels, out, true) : null;
        norm2 = new GroupNorm(w.at("norm2"), groups, out, eps);
        conv2 = new Conv2d(w.at("conv2"), out, out, 3, 1, 1);
        convShortcut = in != out ? new Conv2d(w.at("conv_shortcut"), in, out, 1, 1, 0) : null;
    }

    /** @param temb {@code [B, timeChannels]}, or {@code null} when the block has no time input */
    public Tensor forward(Tensor x, Tensor temb) {
        return Torch.scoped(() -> {
            Tensor h = conv1.forward(Ops.silu(norm1.forward(x)));
            if (timeEmbProj != null) {
                h = h.add(timeEmbProj.forward(Ops.silu(temb)).unsqueeze(2).unsqueeze(3));
            }
            h = conv2.forward(Ops.silu(norm2.forward(h)));
            return (convShortcut == null ? x : convShortcut.forward(x)).add(h);
        });
    }
}
