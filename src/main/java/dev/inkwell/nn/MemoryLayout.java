package dev.inkwell.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The memory format image activations and convolution weights are kept in, by dtype. oneDNN's
 * bfloat16 convolutions are fastest channels-last (up to 10x at SD's 4x4 and 8x8 levels with
 * 2560 input channels); in float32 channels-last gains nothing, and its 1x1 convolutions return
 * wrong values on some AVX-512 AMD CPUs (docs/performance.md), so float32 stays NCHW.
 */
public final class MemoryLayout {
    private MemoryLayout() {}

    static MemoryFormat of(Tensor t) {
        return t.scalar_type().intern() == ScalarType.BFloat16 ? MemoryFormat.ChannelsLast : MemoryFormat.Contiguous;
    }

    /** The tensor in its dtype's format: itself when it already is, else a copy. */
    public static Tensor arrange(Tensor t) {
        return t.contiguous(of(t));
    }
}
