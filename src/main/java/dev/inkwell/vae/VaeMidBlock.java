package dev.inkwell.vae;

import dev.inkwell.nn.Attention;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Weights;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnet, single-head spatial
 * self-attention with its own GroupNorm and a residual, resnet.
 */
final class VaeMidBlock {
    private final ResnetBlock2D first;
    private final GroupNorm attentionNorm;
    private final Attention attention;
    private final ResnetBlock2D second;

    VaeMidBlock(Weights w, VaeConfig c, long channels) {
        first = new ResnetBlock2D(w.at("resnets", 0), channels, channels, 0, c.normGroups(), 1e-6);
        if (c.midBlockAttention()) {
            Weights a = w.at("attentions", 0);
            attentionNorm = new GroupNorm(a.at("group_norm"), c.normGroups(), channels, 1e-6);
            attention = new Attention(a, channels, channels, 1, channels, true, false);
        } else {
            attentionNorm = null;
            attention = null;
        }
        second = new ResnetBlock2D(w.at("resnets", 1), channels, channels, 0, c.normGroups(), 1e-6);
    }

    Tensor forward(Tensor x) {
        x = first.forward(x, null);
        if (attention != null) {
            long b = x.size(0);
            long ch = x.size(1);
            long h = x.size(2);
            long w = x.size(3);
            Tensor seq = attentionNorm.forward(x).view(b, ch, h * w).transpose(1, 2);
            Tensor attended = attention.forward(seq, null, null).transpose(1, 2).reshape(b, ch, h, w);
            x = attended.add(x);
        }
        return second.forward(x, null);
    }
}
