package dev.inkwell.weights;

import dev.inkwell.tensor.Precision;
import org.bytedeco.pytorch.Tensor;

/** Where a model's parameters come from: checkpoint files, or random values for benchmarks. */
public interface WeightSource extends AutoCloseable {

    boolean contains(String key);

    /**
     * The tensor stored under {@code key}, as a new tensor in the requested precision.
     *
     * @param expectedShape the shape the model needs; sources that hold real data only use it
     *     for checking, which the caller does
     */
    Tensor read(String key, long[] expectedShape, Precision precision);

    /** Names the source in error messages (a file or folder). */
    String describe();

    @Override
    void close();
}
