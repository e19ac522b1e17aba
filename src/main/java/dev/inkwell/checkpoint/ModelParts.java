package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.weights.WeightSource;

/**
 * The stored parts of a Stable Diffusion model, by diffusers component name ({@code unet},
 * {@code vae}, {@code text_encoder}, {@code text_encoder_2}, {@code tokenizer},
 * {@code tokenizer_2}), so that a diffusers folder and a single checkpoint file build the same models.
 */
public interface ModelParts {

    /** The pipeline's {@code model_index.json}: which components it has, and its flags. */
    JsonNode index();

    ClipTokenizer tokenizer(String name);

    /** The component's {@code config.json}. */
    Config config(String component);

    /** A new source of the component's weights under diffusers names; whoever builds the model closes it. */
    WeightSource weights(String component);

    SchedulerConfig schedulerConfig();
}
