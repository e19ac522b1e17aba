package dev.inkwell.unet;

import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Weights;
import org.bytedeco.pytorch.Tensor;

/** {@code UNetMidBlock2DCrossAttn}: resnet, transformer, resnet at the lowest resolution. */
final class MidBlock {
    private final ResnetBlock2D first;
    private final Transformer2DModel attention;
    private final ResnetBlock2D second;

    MidBlock(Weights w, UNetConfig c) {
        int last = c.blocks() - 1;
        long channels = c.blockOutChannels()[last];
        first = new ResnetBlock2D(w.at("resnets", 0), channels, channels, c.timeEmbedDim(), c.normGroups(), c.normEps());
        attention = new Transformer2DModel(w.at("attentions", 0), c, channels, c.heads()[last],
                c.transformerLayersPerBlock()[last]);
        second = new ResnetBlock2D(w.at("resnets", 1), channels, channels, c.timeEmbedDim(), c.normGroups(), c.normEps());
    }

    Tensor forward(Tensor x, Tensor temb, Conditioning cond) {
        x = first.forward(x, temb);
        x = attention.forward(x, cond);
        return second.forward(x, temb);
    }
}
