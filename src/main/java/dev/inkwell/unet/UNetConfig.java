package dev.inkwell.unet;

import dev.inkwell.nn.Config;
import java.util.List;

/**
 * The fields of a diffusers {@code UNet2DConditionModel} config that SD 1.x, 2.x and SDXL use,
 * with per-block values already expanded. Options those models never set are refused rather
 * than silently ignored.
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        int[] blockOutChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        int[] layersPerBlock,
        int[] transformerLayersPerBlock,
        int[] reverseTransformerLayersPerBlock,
        int[] heads,
        int crossAttentionDim,
        boolean useLinearProjection,
        int normGroups,
        double normEps,
        boolean flipSinToCos,
        int freqShift,
        String additionEmbedType,
        int additionTimeEmbedDim,
        int projectionClassEmbeddingsInputDim,
        int sampleSize) {

    public static UNetConfig from(Config c) {
        for (String unsupported : List.of("class_embed_type", "encoder_hid_dim", "time_cond_proj_dim",
                "time_embedding_dim", "timestep_post_act", "time_embedding_act_fn")) {
            if (c.has(unsupported)) {
                throw new IllegalArgumentException(c.source() + ": '" + unsupported + "' is not supported");
            }
        }
        requireValue(c, "resnet_time_scale_shift", "default");
        requireValue(c, "time_embedding_type", "positional");
        requireValue(c, "mid_block_type", "UNetMidBlock2DCrossAttn");
        requireValue(c, "attention_type", "default");
        if (c.bool("only_cross_attention", false) || c.bool("dual_cross_attention", false)) {
            throw new IllegalArgumentException(c.source() + ": only_cross_attention and dual_cross_attention are not supported");
        }
        List<String> down = c.strings("down_block_types");
        List<String> up = c.strings("up_block_types");
        int n = down.size();
        int[] channels = c.integers("block_out_channels", n);
        int[] transformerLayers = c.has("transformer_layers_per_block")
                ? c.integers("transformer_layers_per_block", n) : filled(n, 1);
        int[] reverse = c.has("reverse_transformer_layers_per_block")
                ? c.integers("reverse_transformer_layers_per_block", n) : reversed(transformerLayers);
        // diffusers' historical naming: attention_head_dim holds the number of heads when
        // num_attention_heads is not given.
        int[] heads = c.has("num_attention_heads")
                ? c.integers("num_attention_heads", n) : c.integers("attention_head_dim", n);
        String addition = c.string("addition_embed_type", null);
        if (addition != null && !addition.equals("text_time")) {
            throw new IllegalArgumentException(c.source() + ": addition_embed_type '" + addition + "' is not supported");
        }
        return new UNetConfig(
                c.integer("in_channels", 4),
                c.integer("out_channels", 4),
                channels,
                down,
                up,
                c.integers("layers_per_block", n),
                transformerLayers,
                reverse,
                heads,
                c.integers("cross_attention_dim")[0],
                c.bool("use_linear_projection", false),
                c.integer("norm_num_groups", 32),
                c.real("norm_eps", 1e-5),
                c.bool("flip_sin_to_cos", true),
                c.integer("freq_shift", 0),
                addition,
                c.integer("addition_time_embed_dim", 0),
                c.integer("projection_class_embeddings_input_dim", 0),
                c.integer("sample_size", 64));
    }

    public int blocks() {
        return blockOutChannels.length;
    }

    public int timeEmbedDim() {
        return blockOutChannels[0] * 4;
    }

    public boolean hasTextTimeEmbedding() {
        return "text_time".equals(additionEmbedType);
    }

    private static void requireValue(Config c, String key, String expected) {
        String value = c.string(key, expected);
        if (!value.equals(expected)) {
            throw new IllegalArgumentException(c.source() + ": " + key + " '" + value + "' is not supported");
        }
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static int[] reversed(int[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[values.length - 1 - i];
        }
        return out;
    }
}
