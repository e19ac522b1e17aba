package dev.inkwell.unet;

import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code Transformer2DModel}: GroupNorm, {@code proj_in}, a stack of transformer
 * blocks over the pixels as a sequence, {@code proj_out}, plus the input. SD 1.x projects with
 * 1x1 convolutions, SD 2.x and SDXL with linear layers ({@code use_linear_projection}).
 */
final class Transformer2DModel {
    private final GroupNorm norm;
    private final Linear projInLinear;
    private final Conv2d projInConv;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();
    private final Linear projOutLinear;
    private final Conv2d projOutConv;

    Transformer2DModel(Weights w, UNetConfig c, long channels, long heads, int layers) {
        norm = new GroupNorm(w.at("norm"), c.normGroups(), channels, 1e-6);
        boolean linear = c.useLinearProjection();
        projInLinear = linear ? new Linear(w.at("proj_in"), channels, channels, true) : null;
        projInConv = linear ? null : new Conv2d(w.at("proj_in"), channels, channels, 1, 1, 0);
        for (int i = 0; i < layers; i++) {
            blocks.add(new BasicTransformerBlock(w.at("transformer_blocks", i), channels, heads, c.crossAttentionDim()));
        }
        projOutLinear = linear ? new Linear(w.at("proj_out"), channels, channels, true) : null;
        projOutConv = linear ? null : new Conv2d(w.at("proj_out"), channels, channels, 1, 1, 0);
    }

    Tensor forward(Tensor x, Conditioning cond) {
        return Torch.scoped(() -> {
            long b = x.size(0);
            long c = x.size(1);
            long h = x.size(2);
            long w = x.size(3);
            Tensor hidden = norm.forward(x);
            if (projInConv != null) {
                hidden = projInConv.forward(hidden);
            }
            hidden = hidden.permute(0, 2, 3, 1).reshape(b, h * w, c);
            if (projInLinear != null) {
                hidden = projInLinear.forward(hidden);
            }
            for (BasicTransformerBlock block : blocks) {
                hidden = block.forward(hidden, cond);
            }
            if (projOutLinear != null) {
                hidden = projOutLinear.forward(hidden);
            }
            hidden = hidden.reshape(b, h, w, c).permute(0, 3, 1, 2).contiguous();
            if (projOutConv != null) {
                hidden = projOutConv.forward(hidden);
            }
            return hidden.add(x);
        });
    }
}
