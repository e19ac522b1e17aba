package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Group normalisation over channels of an NCHW tensor, with per-channel affine parameters. */
public final class GroupNorm {
    private final long groups;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(Weights w, long groups, long channels, double eps) {
        if (channels % groups != 0) {
            throw new WeightsMismatchException(channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.eps = eps;
        this.weight = w.get("weight", channels);
        this.bias = w.get("bias", channels);
    }

    public Tensor forward(Tensor x) {
        return OpProfile.time(() -> "group_norm " + x.size(1) + " at " + x.size(2) + "x" + x.size(3),
                () -> torch.group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), eps, true));
    }
}
