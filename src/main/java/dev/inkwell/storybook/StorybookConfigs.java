package dev.inkwell.storybook;

import dev.inkwell.clip.ClipVisionConfig;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.unet.UNetConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the default model's parts, sized to train from scratch in under two hours on two
 * CPU cores while keeping Stable Diffusion 1.x's architecture and file layout: 64 px images, 16x16x4
 * latents, a 128-wide CLIP with the real 49408-token vocabulary and 77 positions.
 */
public final class StorybookConfigs {
    /** The CLIP text tower's width, and so the UNet's cross-attention width. */
    static final int TEXT_WIDTH = 128;
    private static final int END_OF_TEXT = 49407;
    /**
     * The sampler generation defaults to: Euler ancestral, whose fresh noise at every step lets this
     * small UNet correct its errors (the right subject in 85.5 % of the eval's prompts against 75.0 %
     * with Euler; docs/storybook-model.md).
     */
    private static final SchedulerKind SAMPLER = SchedulerKind.EULER_A;

    /**
     * How many of the CLIP text tower's 4 layers the pipeline's text encoder runs: 1. The tower is
     * trained for its end-of-text state, and each later layer makes the word states more alike where
     * the UNet reads them (hat against scarf: cosine 0.52 after the first layer, 0.87 after the
     * fourth); docs/storybook-model.md.
     */
    public static final int TEXT_ENCODER_LAYERS = 1;

    private StorybookConfigs() {}

    public static ClipTextConfig text() {
        return new ClipTextConfig(49408, TEXT_WIDTH, 4 * TEXT_WIDTH, 4, 4, 77, "quick_gelu", 1e-5, END_OF_TEXT,
                TEXT_WIDTH, false);
    }

    public static ClipVisionConfig vision() {
        return new ClipVisionConfig(TEXT_WIDTH, 4 * TEXT_WIDTH, 4, 4, 64, 8, "quick_gelu", 1e-5, TEXT_WIDTH);
    }

    /** diffusers {@code UNet2DConditionModel} fields: two cross-attention levels over 16 and 8 px, a plain 4 px level. */
    public static Map<String, Object> unetFields() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("_class_name", "UNet2DConditionModel");
        json.put("act_fn", "silu");
        json.put("attention_head_dim", 4);
        json.put("block_out_channels", List.of(64, 128, 128));
        json.put("center_input_sample", false);
        json.put("cross_attention_dim", TEXT_WIDTH);
        json.put("down_block_types", List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"));
        json.put("downsample_padding", 1);
        json.put("flip_sin_to_cos", true);
        json.put("freq_shift", 0);
        json.put("in_channels", 4);
        json.put("layers_per_block", 1);
        json.put("mid_block_scale_factor", 1);
        json.put("norm_eps", 1e-5);
        json.put("norm_num_groups", 32);
        json.put("out_channels", 4);
        json.put("sample_size", 16);
        json.put("up_block_types", List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"));
        return json;
    }

    public static UNetConfig unet() {
        return UNetConfig.from(Config.of("storybook unet", Config.toJson(unetFields())));
    }

    /** SD 1.x's training noise schedule, named as the model's sampler. */
    public static Map<String, Object> schedulerFields() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("_class_name", SAMPLER.className());
        json.put("beta_start", 0.00085);
        json.put("beta_end", 0.012);
        json.put("beta_schedule", "scaled_linear");
        json.put("num_train_timesteps", 1000);
        json.put("prediction_type", "epsilon");
        json.put("steps_offset", 1);
        json.put("timestep_spacing", "leading");
        // As SD 1.x's own config: DDIM and DDPM would otherwise clip their x0 estimates to [-1, 1],
        // which suits pixels, not unit-variance latents.
        json.put("clip_sample", false);
        json.put("set_alpha_to_one", false);
        return json;
    }

    public static Map<String, Object> modelIndex() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("_class_name", "StableDiffusionPipeline");
        json.put("_inkwell_model", "storybook");
        json.put("scheduler", List.of("diffusers", SAMPLER.className()));
        json.put("text_encoder", List.of("transformers", "CLIPTextModel"));
        json.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
        json.put("unet", List.of("diffusers", "UNet2DConditionModel"));
        json.put("vae", List.of("diffusers", "AutoencoderKL"));
        json.put("safety_checker", Arrays.asList(null, null));
        json.put("feature_extractor", Arrays.asList(null, null));
        json.put("requires_safety_checker", false);
        return json;
    }
}
