package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Nearest-neighbour upsampling followed by a 3x3 convolution ({@code upsamplers.0.conv}). */
public final class Upsample2D {
    private final Conv2d conv;

    public Upsample2D(Weights w, long channels) {
        this.conv = new Conv2d(w.at("conv"), channels, channels, 3, 1, 1);
    }

    /** Upsamples to {@code height x width}: twice the input, or the size of the matching skip. */
    public Tensor forward(Tensor x, long height, long width) {
        return conv.forward(torch.upsample_nearest2d(x, height, width));
    }

    public Tensor forward(Tensor x) {
        return forward(x, x.size(2) * 2, x.size(3) * 2);
    }
}
