package dev.inkwell.nn;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** A square-kernel 2-D convolution with bias, as every SD convolution is. */
public final class Conv2d {
    /**
     * Fewer output channels than this get zero filters added while gradients are taken: libtorch
     * 2.10's oneDNN computes the input gradient of such a convolution wrongly (errors near 1, now
     * and then NaN) on an AVX-512 AMD CPU, and right with 16 (docs/performance.md).
     */
    private static final long MIN_TRAINED_OUTPUTS = 16;
    /**
     * float32 kernels with more input channels than this are run as a sum of convolutions over
     * slices of the inputs: oneDNN's float32 3x3 convolution runs 8 to 30 times slower than its
     * peak past that (SD's 2560 and 1920 channels at 4x4 and 8x8), its slices at full speed.
     */
    private static final long MAX_FLOAT_INPUTS = 1280;
    private static final long[] ONES = {1, 1};

    private final Tensor weight;
    private final Tensor bias;
    private final long in;
    private final long out;
    private final int kernel;
    private final long[] stride;
    private final long[] padding;

    public Conv2d(Weights w, long in, long out, int kernel, int stride, int padding) {
        this.weight = w.get("weight", out, in, kernel, kernel);
        this.bias = w.get("bias", out);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = new long[] {stride, stride};
        this.padding = new long[] {padding, padding};
    }

    public Tensor forward(Tensor x) {
        return OpProfile.time(() -> label(x), () -> compute(MemoryLayout.arrange(x)));
    }

    private Tensor compute(Tensor x) {
        boolean training = GradMode.is_enabled() && (x.requires_grad() || weight.requires_grad());
        if (training && out < MIN_TRAINED_OUTPUTS) {
            return paddedOutputs(x);
        }
        if (kernel > 1 && in > MAX_FLOAT_INPUTS && weight.scalar_type().intern() == ScalarType.Float) {
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

    private Tensor paddedOutputs(Tensor x) {
        long[] extra = weight.sizes().vec().get();
        extra[0] = MIN_TRAINED_OUTPUTS - out;
        TensorOptions options = new TensorOptions(weight.scalar_type());
        Tensor padded = torch.cat(new TensorVector(weight, torch.zeros(extra, options)), 0);
        Tensor paddedBias = torch.cat(new TensorVector(bias, torch.zeros(new long[] {extra[0]}, options)), 0);
        return torch.conv2d(x, padded, new TensorOptional(paddedBias), stride, padding, ONES, 1).narrow(1, 0, out);
    }

    private String label(Tensor x) {
        return "conv " + kernel + "x" + kernel + " " + in + "->" + out + " at " + x.size(2) + "x" + x.size(3);
    }
}
