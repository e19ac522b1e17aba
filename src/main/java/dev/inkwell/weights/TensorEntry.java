package dev.inkwell.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as declared in a safetensors header: its dtype, shape and byte range relative to the
 * start of the data region. Entries returned by {@link SafeTensors} are validated.
 *
 * @param begin first byte of the tensor, relative to the data region
 * @param end one past the last byte, relative to the data region
 */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy, so the entry stays immutable. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the dimensions, 1 for a scalar. */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** Number of data bytes, {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorEntry that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + ": " + dtype + " " + Shapes.format(shape) + " @ [" + begin + ", " + end + ")";
    }
}
