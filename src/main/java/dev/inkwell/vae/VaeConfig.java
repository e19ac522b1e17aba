package dev.inkwell.vae;

import dev.inkwell.nn.Config;

/** The fields of a diffusers {@code AutoencoderKL} config. */
public record VaeConfig(
        int inChannels,
        int outChannels,
        int latentChannels,
        int[] blockOutChannels,
        int layersPerBlock,
        int normGroups,
        double scalingFactor,
        double shiftFactor,
        boolean forceUpcast,
        boolean midBlockAttention,
        boolean useQuantConv,
        boolean usePostQuantConv,
        int sampleSize) {

    public static VaeConfig from(Config c) {
        for (String type : c.strings("down_block_types")) {
            if (!type.equals("DownEncoderBlock2D")) {
                throw new IllegalArgumentException(c.source() + ": unsupported down block type '" + type + "'");
            }
        }
        for (String type : c.strings("up_block_types")) {
            if (!type.equals("UpDecoderBlock2D")) {
                throw new IllegalArgumentException(c.source() + ": unsupported up block type '" + type + "'");
            }
        }
        return new VaeConfig(
                c.integer("in_channels", 3),
                c.integer("out_channels", 3),
                c.integer("latent_channels", 4),
                c.integers("block_out_channels"),
                c.integer("layers_per_block", 1),
                c.integer("norm_num_groups", 32),
                c.real("scaling_factor", 0.18215),
                c.real("shift_factor", 0.0),
                c.bool("force_upcast", true),
                c.bool("mid_block_add_attention", true),
                c.bool("use_quant_conv", true),
                c.bool("use_post_quant_conv", true),
                c.integer("sample_size", 512));
    }

    /** How many pixels one latent covers along each side. */
    public int downscale() {
        return 1 << (blockOutChannels.length - 1);
    }
}
