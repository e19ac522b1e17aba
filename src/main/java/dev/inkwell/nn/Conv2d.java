package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** A square-kernel 2-D convolution with bias, as every SD convolution is. */
public final class Conv2d {
    private final Tensor weight;
    private final Tensor bias;
    private final long[] stride;
    private final long[] padding;

    public Conv2d(Weights w, long in, long out, int kernel, int stride, int padding) {
        this.weight = w.get("weight", out, in, kernel, kernel);
        this.bias = w.get("bias", out);
        this.stride = new long[] {stride, stride};
        this.padding = new long[] {padding, padding};
    }

    public Tensor forward(Tensor x) {
        return torch.conv2d(x, weight, new TensorOptional(bias), stride, padding, new long[] {1, 1}, 1);
    }
}
