package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.tensor.Torch;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** {@link HalfFloats#floatToF16} rounds exactly as libtorch's float-to-half conversion. */
class HalfFloatsRoundingTest {

    @Test
    void agreesWithLibtorchOnEdgeCasesAndRandomValuesOfEveryMagnitude() {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[20_000];
        float[] edges = {0f, -0f, 1f, -1f, 65504f, 65520f, 70000f, -1e9f, 6.1035156e-5f, 5.9604645e-8f, 2.9802322e-8f,
                2.98e-8f, 1e-10f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.00048828125f,
                1.00146484375f, 0.333333f};
        System.arraycopy(edges, 0, values, 0, edges.length);
        for (int i = edges.length; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(-30, 20)));
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor half = Torch.floats(values, values.length).to(ScalarType.Half).contiguous();
            short[] expected = new short[values.length];
            new ShortPointer(half.data_ptr()).get(expected);
            for (int i = 0; i < values.length; i++) {
                assertEquals(expected[i], HalfFloats.floatToF16(values[i]), "value " + values[i]);
            }
        }
        assertEquals(Float.NaN, HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN)));
    }
}
