package dev.inkwell.unet;

import org.bytedeco.pytorch.Tensor;

/**
 * What the UNet is conditioned on besides the noisy latents and the timestep.
 *
 * @param context text embeddings {@code [B, L, cross_attention_dim]}; L may be any length
 * @param contextMask {@code null}, or booleans {@code [B, L]}, false for padding tokens that
 *     cross-attention must ignore
 * @param textEmbeds SDXL's pooled text embedding {@code [B, P]}, else {@code null}
 * @param timeIds SDXL's {@code add_time_ids} {@code [B, 6]} (original size, crop, target size),
 *     else {@code null}
 */
public record Conditioning(Tensor context, Tensor contextMask, Tensor textEmbeds, Tensor timeIds) {

    public static Conditioning text(Tensor context) {
        return new Conditioning(context, null, null, null);
    }
}
