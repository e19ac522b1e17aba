package dev.inkwell.weights;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Made-up parameters of whatever shape a model asks for: fan-in-scaled normal matrices, unit
 * norm scales, zero biases. For benchmarks of full-size architectures without a checkpoint.
 */
public final class RandomSource implements WeightSource {

    public RandomSource(long seed) {
        Torch.init();
        torch.manual_seed(seed);
    }

    @Override
    public boolean contains(String key) {
        // Claims only the modern key spellings, so models take their default layout.
        return !key.endsWith("query.weight");
    }

    @Override
    public Tensor read(String key, long[] shape, Precision precision) {
        TensorOptions options = new TensorOptions(precision.scalarType());
        if (shape.length >= 2) {
            long fanIn = 1;
            for (int i = 1; i < shape.length; i++) {
                fanIn *= shape[i];
            }
            Tensor t = torch.randn(shape, options);
            t.mul_(new Scalar(1.0 / Math.sqrt(fanIn)));
            return t;
        }
        return key.contains("norm") && key.endsWith("weight") ? torch.ones(shape, options) : torch.zeros(shape, options);
    }

    @Override
    public String describe() {
        return "random weights";
    }

    @Override
    public void close() {}
}
