package dev.inkwell.unet;

import dev.inkwell.nn.AttentionProcessors;
import java.util.Objects;
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
 * @param processors how each attention module computes ({@link AttentionProcessors#DEFAULT}: as
 *     always)
 */
public record Conditioning(Tensor context, Tensor contextMask, Tensor textEmbeds, Tensor timeIds,
        AttentionProcessors processors) {

    public Conditioning {
        Objects.requireNonNull(processors, "processors");
    }

    /** With the default attention processors. */
    public Conditioning(Tensor context, Tensor contextMask, Tensor textEmbeds, Tensor timeIds) {
        this(context, contextMask, textEmbeds, timeIds, AttentionProcessors.DEFAULT);
    }

    public static Conditioning text(Tensor context) {
        return new Conditioning(context, null, null, null);
    }

    public Conditioning withProcessors(AttentionProcessors p) {
        return new Conditioning(context, contextMask, textEmbeds, timeIds, p);
    }
}
