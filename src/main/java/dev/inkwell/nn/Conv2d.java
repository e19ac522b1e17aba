package dev.inkwell.nn;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.LongArrayRefOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A square-kernel 2-D convolution with bias, as every SD convolution is. In a model that only
 * generates (see {@link Weights#generationOnly()}) the weight is kept in oneDNN's own blocked
 * layout: otherwise oneDNN copies it into that layout on every call, a large share of a step
 * (docs/performance.md).
 */
public final class Conv2d {
    /**
     * Fewer output channels than this get zero filters added in the blocked layout and while
     * gradients are taken: libtorch 2.10's oneDNN computes such a bfloat16 convolution, and the
     * input gradient of such a float32 one, wrongly (now and then NaN) on an AVX-512 AMD CPU, and
     * right with 16 (docs/performance.md).
     */
    private static final long MIN_OUTPUTS = 16;
    /**
     * Plain-layout (float32, trainable) kernels with more input channels than this are run as a
     * sum of convolutions over slices of the inputs: oneDNN's float32 3x3 convolution runs far
     * below its peak past that (SD's 2560 and 1920 channels at small sizes), its slices at full
     * speed (docs/performance.md).
     */
    private static final long MAX_FLOAT_INPUTS = 1280;
    private static final long[] ONES = {1, 1};

    private final Tensor weight;
    private final Tensor bias;
    /** The bias the blocked weight computes with: {@link #bias} with any added outputs. */
    private final Tensor blockedBias;
    private final long in;
    private final long out;
    private final int kernel;
    private final long[] stride;
    private final long[] padding;

    public Conv2d(Weights w, long in, long out, int kernel, int stride, int padding) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = new long[] {stride, stride};
        this.padding = new long[] {padding, padding};
        Tensor dense = w.get("weight", out, in, kernel, kernel);
        this.bias = w.get("bias", out);
        boolean blockedLayout = w.generationOnly();
        this.weight = blockedLayout ? w.replace("weight", blocked(atLeastMinOutputs(dense))) : dense;
        this.blockedBias = blockedLayout ? atLeastMinOutputs(bias) : null;
    }

    private Tensor blocked(Tensor dense) {
        try (Tensor plain = dense.to_mkldnn()) {
            return torch.mkldnn_reorder_conv2d_weight(plain, padding, stride, ONES, 1, new LongArrayRefOptional());
        }
    }

    public Tensor forward(Tensor x) {
        return OpProfile.time(() -> "conv " + kernel + "x" + kernel + " " + in + "->" + out + " at " + x.size(2) + "x" + x.size(3),
                () -> compute(x));
    }

    private Tensor compute(Tensor x) {
        if (weight.is_mkldnn()) {
            if (GradMode.is_enabled() && x.requires_grad()) {
                throw new IllegalStateException("a model loaded for generation only cannot pass gradients");
            }
            Tensor y = torch.mkldnn_convolution(x.contiguous(), weight, new TensorOptional(blockedBias), padding, stride, ONES, 1);
            return out < MIN_OUTPUTS ? y.narrow(1, 0, out) : y;
        }
        boolean training = GradMode.is_enabled() && (x.requires_grad() || weight.requires_grad());
        if (training && out < MIN_OUTPUTS) {
            return torch.conv2d(x, atLeastMinOutputs(weight), new TensorOptional(atLeastMinOutputs(bias)), stride, padding, ONES, 1)
                    .narrow(1, 0, out);
        }
        if (kernel > 1 && in > MAX_FLOAT_INPUTS) {
            return slicedInputs(x);
        }
        return torch.conv2d(x, weight, new TensorOptional(bias), stride, padding, ONES, 1);
    }

    private Tensor slicedInputs(Tensor x) {
        long slices = (in + MAX_FLOAT_INPUTS - 1) / MAX_FLOAT_INPUTS;
        long width = (in + slices - 1) / slices;
        Tensor sum = null;
        for (long start = 0; start < in; start += width) {
            long n = Math.min(width, in - start);
            Tensor part = torch.conv2d(x.narrow(1, start, n), weight.narrow(1, start, n),
                    sum == null ? new TensorOptional(bias) : new TensorOptional(), stride, padding, ONES, 1);
            sum = sum == null ? part : sum.add(part);
        }
        return sum;
    }

    /** {@code t} (a weight or bias) with zero output channels added up to {@link #MIN_OUTPUTS}. */
    private Tensor atLeastMinOutputs(Tensor t) {
        if (out >= MIN_OUTPUTS) {
            return t;
        }
        long[] extra = t.sizes().vec().get();
        extra[0] = MIN_OUTPUTS - out;
        return torch.cat(new TensorVector(t, torch.zeros(extra, new TensorOptions(t.scalar_type()))), 0);
    }
}
