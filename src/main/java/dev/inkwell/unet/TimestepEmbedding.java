package dev.inkwell.unet;

import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Weights;
import org.bytedeco.pytorch.Tensor;

/** diffusers' {@code TimestepEmbedding}: {@code linear_2(silu(linear_1(x)))}. */
final class TimestepEmbedding {
    private final Linear linear1;
    private final Linear linear2;

    TimestepEmbedding(Weights w, long in, long out) {
        linear1 = new Linear(w.at("linear_1"), in, out, true);
        linear2 = new Linear(w.at("linear_2"), out, out, true);
    }

    Tensor forward(Tensor x) {
        return linear2.forward(Ops.silu(linear1.forward(x)));
    }
}
