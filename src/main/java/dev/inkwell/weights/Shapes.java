package dev.inkwell.weights;

import java.util.Arrays;

/** Shape arithmetic shared by the reader and the writer. */
final class Shapes {

    private Shapes() {
    }

    /** Product of the dimensions (1 for a scalar). Throws ArithmeticException on overflow. */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Bytes needed by {@code shape} elements of {@code dtype}. Throws ArithmeticException on overflow. */
    static long byteCount(DType dtype, long[] shape) {
        return Math.multiplyExact(elementCount(shape), dtype.byteSize());
    }

    /** "[3, 4]", as shapes appear in messages. */
    static String format(long[] shape) {
        return Arrays.toString(shape);
    }
}
