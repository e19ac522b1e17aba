package dev.inkwell.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.RandomSource;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class Conv2dTest {

    /**
     * A UNet's conv_out (32 channels to 4) and a VAE's (to 3): libtorch 2.10's oneDNN gave input
     * gradients off by about 1, or NaN, on an AVX-512 AMD CPU for fewer than 16 output channels.
     */
    @Test
    void inputAndWeightGradientsEqualAFloat64ConvolutionForFewOutputChannels() {
        Torch.init();
        Weights root = Weights.root(new RandomSource(3), Precision.FLOAT32);
        try {
            for (long[] s : new long[][] {{32, 4}, {64, 3}, {128, 8}, {32, 32}}) {
                String name = "c" + s[0] + "x" + s[1];
                Conv2d conv = new Conv2d(root.at(name), s[0], s[1], 3, 1, 1);
                Tensor weight = root.parameters().get(name + ".weight").requires_grad_(true);
                for (int repeat = 0; repeat < 3; repeat++) {
                    Tensor x = torch.randn(2, s[0], 16, 16).requires_grad_(true);
                    Tensor g = torch.randn(2, s[1], 16, 16);
                    conv.forward(x).mul(g).sum().backward();
                    Tensor xd = x.detach().to(ScalarType.Double).requires_grad_(true);
                    Tensor wd = weight.detach().to(ScalarType.Double).requires_grad_(true);
                    torch.conv2d(xd, wd, new TensorOptional(root.parameters().get(name + ".bias").detach().to(ScalarType.Double)),
                            new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1).mul(g.to(ScalarType.Double)).sum().backward();
                    double dx = x.grad().to(ScalarType.Double).sub(xd.grad()).abs().max().item_double();
                    double dw = weight.grad().to(ScalarType.Double).sub(wd.grad()).abs().max().item_double();
                    assertTrue(dx < 1e-4 && dw < 1e-3, name + ": input gradient off by " + dx + ", weight gradient by " + dw);
                    weight.grad().zero_();
                }
            }
        } finally {
            root.close();
        }
    }

    @Test
    void aGenerationOnlyConvolutionRefusesToPassGradients() {
        Torch.init();
        Weights root = Weights.root(new RandomSource(4), Precision.FLOAT32, true);
        try {
            Conv2d conv = new Conv2d(root.at("c"), 8, 16, 3, 1, 1);
            Tensor x = torch.randn(1, 8, 4, 4).requires_grad_(true);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> conv.forward(x));
            org.junit.jupiter.api.Assertions.assertEquals("a model loaded for generation only cannot pass gradients", e.getMessage());
        } finally {
            root.close();
        }
    }
}
