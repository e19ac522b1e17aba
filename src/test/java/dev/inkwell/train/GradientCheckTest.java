package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNet2DConditionModel;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Autograd through Inkwell's modules against central finite differences, on the tiny UNet at
 * 16x16 so that the attention projections take Linear's 1x1-convolution path (256 rows).
 */
class GradientCheckTest {

    @Test
    void backwardMatchesFiniteDifferences() {
        try (UNet2DConditionModel unet = TrainingFixture.unet(); PointerScope scope = new PointerScope()) {
            Map<String, Tensor> params = unet.parameters();
            assertEquals(params.size(), params.values().stream().distinct().count());
            params.values().forEach(p -> p.requires_grad_(true));
            torch.manual_seed(7);
            Tensor x = torch.randn(1, 4, 16, 16);
            Tensor ctx = torch.randn(1, 77, 32);
            Tensor probe = torch.randn(1, 4, 16, 16);
            Tensor t = Torch.longs(new long[] {500}, 1);
            DoubleSupplier loss = () -> {
                try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                    return unet.forward(x, t, Conditioning.text(ctx)).mul(probe).sum().item_double();
                }
            };
            unet.forward(x, t, Conditioning.text(ctx)).mul(probe).sum().backward();
            String[] keys = {
                "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight", // Linear, conv2d path, SDPA
                "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight", // cross-attention
                "down_blocks.0.attentions.0.transformer_blocks.0.norm1.weight", // LayerNorm
                "down_blocks.0.resnets.0.norm1.bias", // GroupNorm, and the whole net after it (upsample)
                "time_embedding.linear_1.weight", // Linear, matmul path
                "conv_in.weight",
            };
            for (String key : keys) {
                Tensor p = params.get(key);
                float[] grad = Torch.toFloats(p.grad());
                int i = argMaxAbs(grad);
                double h = 1e-2;
                double plus;
                double minus;
                try (NoGradGuard g = new NoGradGuard()) {
                    Tensor element = p.view(-1).select(0, i);
                    element.add_(new Scalar(h));
                    plus = loss.getAsDouble();
                    element.sub_(new Scalar(2 * h));
                    minus = loss.getAsDouble();
                    element.add_(new Scalar(h));
                }
                double numeric = (plus - minus) / (2 * h);
                assertTrue(Math.abs(grad[i]) > 1e-3, key + " has no gradient");
                assertEquals(numeric, grad[i], 0.03 * Math.abs(numeric) + 1e-3, key);
            }
        }
    }

    private static int argMaxAbs(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[best])) {
                best = i;
            }
        }
        return best;
    }
}
