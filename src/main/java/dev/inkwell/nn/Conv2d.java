package dev.inkwell.nn;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** A square-kernel 2-D convolution with bias, as every SD convolution is. */
public final class Conv2d {
    /**
     * Fewer output channels than this get zero filters added while gradients are taken: libtorch
     * 2.10's oneDNN computes the input gradient of such a convolution wrongly (errors near 1, now
     * and then NaN) on an AVX-512 AMD CPU, and right with 16 (docs/performance.md).
     */
    private static final long MIN_TRAINED_OUTPUTS = 16;
    private static final long[] ONES = {1, 1};

    private final Tensor weight;
    private final Tensor bias;
    private final long out;
    private final long[] stride;
    private final long[] padding;

    public Conv2d(Weights w, long in, long out, int kernel, int stride, int padding) {
        this.weight = w.get("weight", out, in, kernel, kernel);
        this.bias = w.get("bias", out);
        this.out = out;
        this.stride = new long[] {stride, stride};
        this.padding = new long[] {padding, padding};
    }

    public Tensor forward(Tensor x) {
        boolean training = GradMode.is_enabled() && (x.requires_grad() || weight.requires_grad());
        if (!training || out >= MIN_TRAINED_OUTPUTS) {
            return torch.conv2d(x, weight, new TensorOptional(bias), stride, padding, ONES, 1);
        }
        long[] extra = weight.sizes().vec().get();
        extra[0] = MIN_TRAINED_OUTPUTS - out;
        TensorOptions options = new TensorOptions(weight.scalar_type());
        Tensor padded = torch.cat(new TensorVector(weight, torch.zeros(extra, options)), 0);
        Tensor paddedBias = torch.cat(new TensorVector(bias, torch.zeros(new long[] {extra[0]}, options)), 0);
        return torch.conv2d(x, padded, new TensorOptional(paddedBias), stride, padding, ONES, 1).narrow(1, 0, out);
    }
}
