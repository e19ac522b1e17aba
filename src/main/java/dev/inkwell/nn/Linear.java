package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x W^T + b}, weights {@code weight [out, in]} and optional {@code bias [out]}. */
public final class Linear {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(Weights w, long in, long out, boolean bias) {
        this.weight = w.get("weight", out, in);
        this.bias = bias ? w.get("bias", out) : null;
    }

    /**
     * float32 runs in OpenBLAS, one thread per product, large products split by rows over the
     * cores ({@link RowSplitProduct}); not as a channels-last oneDNN 1x1 convolution: libtorch
     * 2.10's oneDNN returns wrong values for some shapes on AVX-512 AMD CPUs
     * (docs/performance.md). bfloat16 runs in oneDNN's matrix product, on every core.
     */
    public Tensor forward(Tensor x) {
        return OpProfile.time(() -> "linear " + weight.size(1) + "->" + weight.size(0) + " x" + x.numel() / x.size(-1) + " rows",
                () -> RowSplitProduct.applies(x, weight) ? RowSplitProduct.forward(x, weight, bias)
                        : torch.linear(x, weight, bias == null ? new TensorOptional() : new TensorOptional(bias)));
    }
}
