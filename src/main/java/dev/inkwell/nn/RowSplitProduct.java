package dev.inkwell.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Large float32 matrix products over every core. OpenBLAS runs on one thread ({@code Torch.init});
 * a product big enough to pay for the hand-over has its rows split between the calling thread
 * and helper threads, each part written straight into its rows of the result. The parts depend
 * on the row and core counts only, never on timing, so a run repeats bit for bit; against one
 * whole product they differ by float rounding. Only without gradients: autograd would need one
 * operation.
 */
final class RowSplitProduct {
    /** Below this many multiply-adds the hand-over costs more than the second core gives. */
    static final long MIN_MULTIPLY_ADDS = 1L << 27;

    private static final int PARTS = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService HELPERS = PARTS < 2 ? null : Executors.newFixedThreadPool(PARTS - 1, r -> {
        Thread t = new Thread(r, "inkwell-product");
        t.setDaemon(true);
        return t;
    });

    private RowSplitProduct() {}

    static boolean applies(Tensor x, Tensor weight) {
        long rows = x.numel() / x.size(-1);
        return HELPERS != null && rows >= 2L * PARTS && !GradMode.is_enabled()
                && weight.scalar_type().intern() == ScalarType.Float
                && rows * weight.size(0) * weight.size(1) >= MIN_MULTIPLY_ADDS;
    }

    /** {@code x W^T + b} for {@code x [..., in]}, {@code weight [out, in]}, {@code bias [out]} or null. */
    static Tensor forward(Tensor x, Tensor weight, Tensor bias) {
        long in = x.size(-1);
        long rows = x.numel() / in;
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = weight.size(0);
        Tensor flat = x.reshape(rows, in);
        Tensor out = torch.empty(new long[] {rows, weight.size(0)}, x.options(), new MemoryFormatOptional());
        Tensor weightT = weight.t();
        List<Future<?>> helpers = new ArrayList<>();
        for (int p = 0; p < PARTS - 1; p++) {
            long from = rows * p / PARTS;
            long to = rows * (p + 1) / PARTS;
            helpers.add(HELPERS.submit(() -> {
                try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                    part(flat, weightT, bias, out, from, to);
                }
            }));
        }
        try {
            part(flat, weightT, bias, out, rows * (PARTS - 1) / PARTS, rows);
        } finally {
            // The helpers write into tensors this thread's scope frees: they must be done first.
            awaitAll(helpers);
        }
        return out.view(shape);
    }

    private static void awaitAll(List<Future<?>> helpers) {
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = new IllegalStateException("matrix product failed: " + e.getCause().getMessage(), e.getCause());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void part(Tensor x, Tensor weightT, Tensor bias, Tensor out, long from, long to) {
        Tensor rows = x.narrow(0, from, to - from);
        Tensor target = out.narrow(0, from, to - from);
        if (bias == null) {
            torch.mm_out(target, rows, weightT);
        } else {
            torch.addmm_out(target, bias, rows, weightT);
        }
    }
}
