package dev.inkwell.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.RandomSource;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class LinearTest {

    /**
     * Shapes for which libtorch 2.10's oneDNN gave wrong values (errors of 20 and more) as a
     * channels-last 1x1 convolution on an AVX-512 AMD CPU, the way Linear once ran large products.
     */
    @Test
    void largeProductsEqualAFloat64Product() {
        Torch.init();
        long[][] shapes = {{64, 512, 576}, {32, 2560, 1024}, {128, 1280, 300}, {320, 2560, 4096}};
        Weights root = Weights.root(new RandomSource(7), Precision.FLOAT32);
        try {
            for (long[] s : shapes) {
                long in = s[0];
                long out = s[1];
                long rows = s[2];
                String name = "l" + in + "x" + out;
                Linear linear = new Linear(root.at(name), in, out, true);
                Tensor weight = root.parameters().get(name + ".weight");
                Tensor x = torch.randn(rows, in);
                Tensor exact = torch.linear(x.to(ScalarType.Double), weight.to(ScalarType.Double),
                        new TensorOptional(root.parameters().get(name + ".bias").to(ScalarType.Double)));
                double error = linear.forward(x).to(ScalarType.Double).sub(exact).abs().max().item_double();
                double scale = exact.abs().max().item_double();
                assertTrue(error <= 1e-5 * scale, in + "x" + out + " over " + rows + " rows: error " + error + " of " + scale);
            }
        } finally {
            root.close();
        }
    }

    /** Without gradients, large products split their rows over the cores: one product's values to float rounding. */
    @Test
    void rowSplitProductsEqualOneProduct() {
        Torch.init();
        Weights root = Weights.root(new RandomSource(8), Precision.FLOAT32);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (boolean bias : new boolean[] {true, false}) {
                Linear linear = new Linear(root.at("p" + bias), 320, 2560, bias);
                Tensor x = torch.randn(2, 1023, 320);
                assertTrue(RowSplitProduct.applies(x, root.parameters().get("p" + bias + ".weight")));
                Tensor whole = torch.linear(x, root.parameters().get("p" + bias + ".weight"),
                        bias ? new TensorOptional(root.parameters().get("p" + bias + ".bias")) : new TensorOptional());
                Tensor split = linear.forward(x);
                assertEquals(java.util.Arrays.toString(whole.sizes().vec().get()), java.util.Arrays.toString(split.sizes().vec().get()));
                assertEquals(0.0, split.sub(whole).abs().max().item_double(), 1e-5, "bias " + bias);
            }
        } finally {
            root.close();
        }
    }
}
