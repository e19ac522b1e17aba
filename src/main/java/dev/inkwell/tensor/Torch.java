package dev.inkwell.tensor;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The few places where Inkwell touches libtorch directly outside model code: start-up, and
 * copying values between Java arrays and tensors.
 */
public final class Torch {
    private static volatile boolean initialised;

    private Torch() {}

    /**
     * Loads the natives once and uses every core for libtorch's own (OpenMP) parallelism. OpenBLAS
     * is kept to one thread: its separate thread pool competing with OpenMP for the same cores made
     * small matrix products fifty times slower. NNPACK is switched off.
     */
    public static synchronized void init() {
        if (initialised) {
            return;
        }
        torch.set_num_threads(Runtime.getRuntime().availableProcessors());
        openblas_nolapack.blas_set_num_threads(1);
        // NNPACK cannot run on most x86 CPUs and says so on stderr at every convolution that asks.
        torch.globalContext().setUserEnabledNNPACK(false);
        initialised = true;
    }

    /**
     * Gives the memory freed so far back to the operating system. The launcher has glibc keep
     * freed memory for reuse (docs/performance.md), which is right between steps but keeps the
     * plain copies of weights a model converted while loading as part of the process for good.
     */
    public static void releaseFreedMemory() {
        Pointer.trimMemory();
    }

    /**
     * Runs a block of tensor code and frees every tensor it created except its result, at once.
     * Java handles of intermediates would otherwise live until the enclosing scope closes (or
     * the garbage collector runs), holding a whole forward pass's activations at the same time.
     * The result joins the enclosing {@link PointerScope}, if there is one.
     */
    public static Tensor scoped(Supplier<Tensor> block) {
        Tensor result;
        try (PointerScope scope = new PointerScope()) {
            result = block.get();
            result.retainReference();
        }
        PointerScope outer = PointerScope.getInnerScope();
        if (outer != null) {
            outer.attach(result);
            result.releaseReference();
        }
        return result;
    }

    public static Tensor floats(float[] data, long... shape) {
        init();
        requireCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        t.data_ptr_float().put(data);
        return t;
    }

    public static Tensor longs(long[] data, long... shape) {
        init();
        requireCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Long), new MemoryFormatOptional());
        t.data_ptr_long().put(data);
        return t;
    }

    public static Tensor bools(boolean[] data, long... shape) {
        init();
        requireCount(data.length, shape);
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) (data[i] ? 1 : 0);
        }
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Bool), new MemoryFormatOptional());
        new BytePointer(t.data_ptr()).capacity(bytes.length).put(bytes);
        return t;
    }

    /** A copy of the tensor's values as float32, in row-major order. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.to(ScalarType.Float).contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        FloatPointer p = c.data_ptr_float();
        p.get(out);
        return out;
    }

    /** A copy of the tensor's values as booleans (non-zero is true), in row-major order. */
    public static boolean[] toBooleans(Tensor t) {
        Tensor c = t.to(ScalarType.Bool).contiguous();
        byte[] bytes = new byte[Math.toIntExact(c.numel())];
        new BytePointer(c.data_ptr()).capacity(bytes.length).get(bytes);
        boolean[] out = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] != 0;
        }
        return out;
    }

    public static long[] toLongs(Tensor t) {
        Tensor c = t.to(ScalarType.Long).contiguous();
        long[] out = new long[Math.toIntExact(c.numel())];
        LongPointer p = c.data_ptr_long();
        p.get(out);
        return out;
    }

    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    private static void requireCount(int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != length) {
            throw new IllegalArgumentException(
                    length + " values do not fill shape " + Arrays.toString(shape));
        }
    }
}
