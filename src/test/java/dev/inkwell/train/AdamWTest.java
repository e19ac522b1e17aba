package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.tensor.Torch;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** Same trajectory as libtorch's own AdamW (whose defaults are ours) on a quadratic with clipping off. */
    @Test
    void matchesLibtorchAdamW() {
        Torch.init();
        torch.manual_seed(3);
        Tensor ours = torch.randn(5, 3);
        Tensor theirs = ours.clone();
        Tensor target = torch.randn(5, 3);
        try (AdamW adamw = new AdamW(Map.of("w", ours), AdamW.Options.DEFAULT)) {
            org.bytedeco.pytorch.AdamW reference = new org.bytedeco.pytorch.AdamW(
                    new TensorVector(theirs.requires_grad_(true)), new AdamWOptions(1e-2));
            for (int step = 0; step < 20; step++) {
                try (PointerScope scope = new PointerScope()) {
                    ours.sub(target).square().sum().backward();
                    adamw.step(1e-2);
                    adamw.zeroGrad();
                    reference.zero_grad();
                    theirs.sub(target).square().sum().backward();
                    reference.step();
                }
            }
            assertEquals(20, adamw.steps());
            assertArrayEquals(Torch.toFloats(theirs), Torch.toFloats(ours), 1e-6f);
        }
    }

    @Test
    void clipsByGlobalNorm() {
        Torch.init();
        Tensor a = Torch.floats(new float[] {0, 0}, 2);
        Tensor b = Torch.floats(new float[] {0}, 1);
        try (AdamW adamw = new AdamW(Map.of("a", a, "b", b), AdamW.Options.DEFAULT);
                PointerScope scope = new PointerScope()) {
            // gradients (3, 4) and (12): global norm 13
            a.mul(Torch.floats(new float[] {3, 4}, 2)).sum().add(b.mul(new org.bytedeco.pytorch.Scalar(12)).sum()).backward();
            assertEquals(13, adamw.clipGradNorm(1.0), 1e-5);
            assertArrayEquals(new float[] {3 / 13f, 4 / 13f}, Torch.toFloats(a.grad()), 1e-6f);
            assertArrayEquals(new float[] {12 / 13f}, Torch.toFloats(b.grad()), 1e-6f);
        }
    }
}
