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
     * In OpenBLAS, on one core (see {@code Torch.init}). Not as a channels-last oneDNN 1x1
     * convolution, which would use every core: libtorch 2.10's oneDNN returns wrong values for
     * some shapes on AVX-512 AMD CPUs (docs/performance.md).
     */
    public Tensor forward(Tensor x) {
        return torch.linear(x, weight, bias == null ? new TensorOptional() : new TensorOptional(bias));
    }
}
