package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x W^T + b}, weights {@code weight [out, in]} and optional {@code bias [out]}. */
public final class Linear {
    /**
     * From this many rows on, the product runs as oneDNN's 1x1 convolution, which uses every
     * core; below it OpenBLAS (kept to one thread, see {@code Torch.init}) is faster.
     */
    private static final long MULTICORE_ROWS = 256;
    private static final long[] ONES = {1, 1};
    private static final long[] ZEROS = {0, 0};

    private final Tensor weight;
    private final Tensor bias;
    private final long in;
    private final long out;

    public Linear(Weights w, long in, long out, boolean bias) {
        this.weight = w.get("weight", out, in);
        this.bias = bias ? w.get("bias", out) : null;
        this.in = in;
        this.out = out;
    }

    public Tensor forward(Tensor x) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
        long rows = x.numel() / in;
        if (rows < MULTICORE_ROWS) {
            return torch.linear(x, weight, b);
        }
        // The rows as the pixels of a channels-last image [1, in, 1, rows] (a view when contiguous).
        Tensor image = x.reshape(1, 1, rows, in).permute(0, 3, 1, 2);
        // For a 1x1 kernel the channels-last and the row-major layouts coincide: a view, no copy.
        // Taken per call so that it sees the weight's current autograd state (requires_grad set
        // after loading, for training).
        Tensor y = torch.conv2d(image, weight.view(out, in, 1, 1), b, ONES, ZEROS, ONES, 1);
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = out;
        return y.permute(0, 2, 3, 1).reshape(shape);
    }
}
