package dev.inkwell.nn;

import dev.inkwell.tensor.Torch;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x W^T + b}, weights {@code weight [out, in]} and optional {@code bias [out]}. */
public final class Linear {
    /** From this many rows on, OpenBLAS gets every core for the product ({@link Torch#onAllBlasThreads}). */
    private static final long MULTICORE_ROWS = 256;

    private final Tensor weight;
    private final Tensor bias;
    private final long in;

    public Linear(Weights w, long in, long out, boolean bias) {
        this.weight = w.get("weight", out, in);
        this.bias = bias ? w.get("bias", out) : null;
        this.in = in;
    }

    public Tensor forward(Tensor x) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
        long rows = x.numel() / in;
        if (rows < MULTICORE_ROWS) {
            return torch.linear(x, weight, b);
        }
        // Not as a channels-last oneDNN 1x1 convolution, which would use both cores too: libtorch
        // 2.10's oneDNN returns wrong values for some shapes on AVX-512 AMD CPUs (docs/performance.md).
        return Torch.onAllBlasThreads(() -> torch.linear(x, weight, b));
    }
}
