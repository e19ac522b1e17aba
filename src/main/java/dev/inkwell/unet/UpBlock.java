package dev.inkwell.unet;

import dev.inkwell.nn.Ops;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Upsample2D;
import dev.inkwell.nn.Weights;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code UpBlock2D} and {@code CrossAttnUpBlock2D}: each resnet takes the running features
 * concatenated with one skip connection (last in, first out), a transformer follows in the
 * cross-attention variant, then an optional upsampler.
 */
final class UpBlock {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Upsample2D upsampler;

    /**
     * @param in channels of the skip coming from the block's own level
     * @param prevOut channels arriving from the block below
     */
    UpBlock(Weights w, UNetConfig c, int index, long in, long out, long prevOut) {
        String type = c.upBlockTypes().get(index);
        boolean crossAttention = switch (type) {
            case "CrossAttnUpBlock2D" -> true;
            case "UpBlock2D" -> false;
            default -> throw new IllegalArgumentException("unsupported up block type '" + type + "'");
        };
        int reversedIndex = c.blocks() - 1 - index;
        int layers = c.layersPerBlock()[reversedIndex] + 1;
        long heads = c.heads()[reversedIndex];
        for (int i = 0; i < layers; i++) {
            long skip = i == layers - 1 ? in : out;
            long resnetIn = i == 0 ? prevOut : out;
            resnets.add(new ResnetBlock2D(w.at("resnets", i), resnetIn + skip, out, c.timeEmbedDim(),
                    c.normGroups(), c.normEps()));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(w.at("attentions", i), c, out, heads,
                        c.reverseTransformerLayersPerBlock()[index]));
            }
        }
        boolean last = index == c.blocks() - 1;
        upsampler = last ? null : new Upsample2D(w.at("upsamplers", 0), out);
    }

    int skipCount() {
        return resnets.size();
    }

    /** @param skips the down path's outputs; this block consumes its share from the end */
    Tensor forward(Tensor x, Tensor temb, Conditioning cond, List<Tensor> skips) {
        for (int i = 0; i < resnets.size(); i++) {
            Tensor skip = skips.remove(skips.size() - 1);
            x = resnets.get(i).forward(Ops.cat(1, x, skip), temb);
            if (!attentions.isEmpty()) {
                x = attentions.get(i).forward(x, cond);
            }
        }
        if (upsampler != null) {
            // Match the next skip's size, so latents whose sides are not multiples of the total
            // downsampling factor still line up.
            Tensor next = skips.get(skips.size() - 1);
            x = upsampler.forward(x, next.size(2), next.size(3));
        }
        return x;
    }
}
