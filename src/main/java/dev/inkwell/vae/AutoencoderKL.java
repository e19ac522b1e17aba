package dev.inkwell.vae;

import dev.inkwell.nn.Config;
import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.Probe;
import dev.inkwell.weights.WeightSource;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * diffusers' {@code AutoencoderKL}. {@link #encode} and {@link #decode} work on the VAE's own
 * latent scale; {@link #toLatents} and {@link #toImage} apply {@code scaling_factor} (and
 * {@code shift_factor}) as the pipelines do. With {@code force_upcast} a half-precision VAE is
 * loaded in float32, because SD's VAE overflows in float16.
 */
public final class AutoencoderKL implements AutoCloseable {
    private final VaeConfig config;
    private final Weights weights;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    public AutoencoderKL(VaeConfig c, WeightSource source, Precision precision) {
        this(c, source, precision, false);
    }

    /** @param generationOnly see {@link Weights#root(WeightSource, Precision, boolean)} */
    public AutoencoderKL(VaeConfig c, WeightSource source, Precision precision, boolean generationOnly) {
        Torch.init();
        this.config = c;
        this.weights = Weights.root(source, c.forceUpcast() ? Precision.FLOAT32 : precision, generationOnly);
        encoder = new Encoder(weights.at("encoder"), c);
        decoder = new Decoder(weights.at("decoder"), c);
        long moments = 2L * c.latentChannels();
        quantConv = c.useQuantConv() ? new Conv2d(weights.at("quant_conv"), moments, moments, 1, 1, 0) : null;
        postQuantConv = c.usePostQuantConv()
                ? new Conv2d(weights.at("post_quant_conv"), c.latentChannels(), c.latentChannels(), 1, 1, 0)
                : null;
        if (weights.generationOnly()) {
            Torch.releaseFreedMemory(); // the plain weights the convolutions replaced
        }
    }

    public static AutoencoderKL load(Path dir, WeightSource source, Precision precision) {
        return new AutoencoderKL(VaeConfig.from(Config.read(dir.resolve("config.json"))), source, precision);
    }

    public VaeConfig config() {
        return config;
    }

    public LatentDistribution encode(Tensor image) {
        return encode(image, Probe.NONE);
    }

    /** @param image {@code [B, 3, H, W]} in [-1, 1] */
    public LatentDistribution encode(Tensor image, Probe probe) {
        Tensor moments = encoder.forward(image.to(weights.precision().scalarType()), probe);
        if (quantConv != null) {
            moments = quantConv.forward(moments);
            probe.accept("quant_conv", moments);
        }
        TensorVector halves = moments.chunk(2, 1);
        Tensor logvar = halves.get(1).clamp(new ScalarOptional(new Scalar(-30.0)),
                new ScalarOptional(new Scalar(20.0)));
        return new LatentDistribution(halves.get(0), logvar);
    }

    public Tensor decode(Tensor z) {
        return decode(z, Probe.NONE);
    }

    /** @param z latents on the VAE's own scale (already divided by {@code scaling_factor}) */
    public Tensor decode(Tensor z, Probe probe) {
        Tensor x = z.to(weights.precision().scalarType());
        if (postQuantConv != null) {
            x = postQuantConv.forward(x);
            probe.accept("post_quant_conv", x);
        }
        return decoder.forward(x, probe);
    }

    /** Pipeline latents from VAE latents: {@code (z - shift) * scaling_factor}. */
    public Tensor toLatents(Tensor z) {
        return z.sub(new Scalar(config.shiftFactor())).mul(new Scalar(config.scalingFactor()));
    }

    /** Decodes pipeline latents to an image in [-1, 1] (not clamped). */
    public Tensor toImage(Tensor latents) {
        return decode(latents.div(new Scalar(config.scalingFactor())).add(new Scalar(config.shiftFactor())));
    }

    /**
     * What the model makes of {@code images} ({@code [B, 3, H, W]} in [-1, 1]): the decoded posterior
     * mean, clamped to [-1, 1]; the look every generated image has.
     */
    public Tensor reconstruct(Tensor images) {
        return decode(encode(images).mean()).clamp(new ScalarOptional(new Scalar(-1.0)),
                new ScalarOptional(new Scalar(1.0)));
    }

    /** The parameters by checkpoint key (see {@link Weights#parameters}), for training and saving. */
    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    @Override
    public void close() {
        weights.close();
    }
}
