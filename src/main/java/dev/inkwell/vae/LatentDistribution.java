package dev.inkwell.vae;

import org.bytedeco.pytorch.Tensor;

/**
 * The diagonal Gaussian the encoder predicts for each latent.
 *
 * @param logvar clamped to [-30, 20] as diffusers does
 */
public record LatentDistribution(Tensor mean, Tensor logvar) {

    /** {@code mean + std * noise}, for img2img and training. */
    public Tensor sample(Tensor noise) {
        return mean.add(logvar.mul(new org.bytedeco.pytorch.Scalar(0.5)).exp().mul(noise));
    }
}
