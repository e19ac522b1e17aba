package dev.inkwell.unet;

import dev.inkwell.nn.Downsample2D;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code DownBlock2D} and {@code CrossAttnDownBlock2D}: resnets, each followed by a transformer
 * in the cross-attention variant, then an optional downsampler. Every intermediate output is kept
 * for the skip connections of the matching up block.
 */
final class DownBlock {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Downsample2D downsampler;

    DownBlock(Weights w, UNetConfig c, int index, long in, long out) {
        String type = c.downBlockTypes().get(index);
        boolean crossAttention = switch (type) {
            case "CrossAttnDownBlock2D" -> true;
            case "DownBlock2D" -> false;
            default -> throw new IllegalArgumentException("unsupported down block type '" + type + "'");
        };
        for (int i = 0; i < c.layersPerBlock()[index]; i++) {
            resnets.add(new ResnetBlock2D(w.at("resnets", i), i == 0 ? in : out, out, c.timeEmbedDim(),
                    c.normGroups(), c.normEps()));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(w.at("attentions", i), c, out, c.heads()[index],
                        c.transformerLayersPerBlock()[index]));
            }
        }
        boolean last = index == c.blocks() - 1;
        downsampler = last ? null : new Downsample2D(w.at("downsamplers", 0), out, 1);
    }

    Tensor forward(Tensor x, Tensor temb, Conditioning cond, List<Tensor> skips) {
        for (int i = 0; i < resnets.size(); i++) {
            x = resnets.get(i).forward(x, temb);
            if (!attentions.isEmpty()) {
                x = attentions.get(i).forward(x, cond);
            }
            skips.add(x);
        }
        if (downsampler != null) {
            x = downsampler.forward(x);
            skips.add(x);
        }
        return x;
    }
}
