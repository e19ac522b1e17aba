package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Layer normalisation over the last dimension. */
public final class LayerNorm {
    private final long[] shape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(Weights w, long dim, double eps) {
        this.shape = new long[] {dim};
        this.eps = eps;
        this.weight = w.get("weight", dim);
        this.bias = w.get("bias", dim);
    }

    public Tensor forward(Tensor x) {
        return OpProfile.time(() -> "layer_norm " + shape[0],
                () -> torch.layer_norm(x, shape, new TensorOptional(weight), new TensorOptional(bias), eps, true));
    }
}
