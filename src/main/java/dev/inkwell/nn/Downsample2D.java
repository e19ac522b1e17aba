package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A stride-2 3x3 convolution ({@code downsamplers.0.conv}). The UNet pads by one on every side;
 * the VAE encoder pads only right and bottom, as the original CompVis code did.
 */
public final class Downsample2D {
    private final Conv2d conv;
    private final boolean asymmetricPad;

    public Downsample2D(Weights w, long channels, int padding) {
        this.conv = new Conv2d(w.at("conv"), channels, channels, 3, 2, padding);
        this.asymmetricPad = padding == 0;
    }

    public Tensor forward(Tensor x) {
        return conv.forward(asymmetricPad ? torch.constant_pad_nd(x, 0, 1, 0, 1) : x);
    }
}
