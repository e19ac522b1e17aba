package dev.inkwell.unet;

import dev.inkwell.nn.Ops;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The sinusoidal embedding of a timestep (diffusers' {@code get_timestep_embedding}), computed
 * in float32 with the same operation order as the reference so the values agree bit for bit.
 */
final class Timesteps {
    private final long dim;
    private final boolean flipSinToCos;
    private final double shift;

    Timesteps(long dim, boolean flipSinToCos, double shift) {
        this.dim = dim;
        this.flipSinToCos = flipSinToCos;
        this.shift = shift;
    }

    /** @param t one value per row, any float or integer dtype */
    Tensor forward(Tensor t) {
        long half = dim / 2;
        Tensor exponent = torch.arange(new Scalar(0), new Scalar(half), new TensorOptions(ScalarType.Float))
                .mul(new Scalar(-Math.log(10000.0)))
                .div(new Scalar(half - shift));
        Tensor emb = t.to(ScalarType.Float).unsqueeze(1).mul(torch.exp(exponent).unsqueeze(0));
        Tensor sin = torch.sin(emb);
        Tensor cos = torch.cos(emb);
        return flipSinToCos ? Ops.cat(1, cos, sin) : Ops.cat(1, sin, cos);
    }
}
