package dev.inkwell.pipeline;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import java.nio.file.Path;
import java.util.List;

/**
 * What loading a model needs beyond its files: the settings a single checkpoint file cannot carry.
 *
 * @param configFolder a diffusers folder whose configs and tokenizers replace the standard ones
 *     of a single-file checkpoint (diffusers' {@code from_single_file(..., config=...)}), or {@code null}
 * @param predictionType replaces the scheduler config's {@code prediction_type}, or {@code null}:
 *     SD 2.x 768 models predict velocity, which their weights do not reveal
 * @param adapters learned concepts applied as the model loads: their tokens added to the
 *     tokenizer and text encoder, their cross-attention key/value weights in place of the UNet's
 * @param generationOnly the model will only generate, never pass gradients (no training through
 *     it): its convolution weights are then kept in the layout oneDNN computes with, which makes
 *     float32 steps faster (bfloat16 models always are)
 */
public record LoadOptions(Path configFolder, PredictionType predictionType, List<Adapter> adapters,
        boolean generationOnly) {
    /** Standard configs, and the prediction type the scheduler config names. */
    public static final LoadOptions DEFAULT = new LoadOptions(null, null);

    public LoadOptions {
        adapters = List.copyOf(adapters);
    }

    /** No adapters. */
    public LoadOptions(Path configFolder, PredictionType predictionType) {
        this(configFolder, predictionType, List.of());
    }

    /** For training as well as generation. */
    public LoadOptions(Path configFolder, PredictionType predictionType, List<Adapter> adapters) {
        this(configFolder, predictionType, adapters, false);
    }

    public LoadOptions withAdapters(List<Adapter> a) {
        return new LoadOptions(configFolder, predictionType, a, generationOnly);
    }

    public LoadOptions withGenerationOnly() {
        return new LoadOptions(configFolder, predictionType, adapters, true);
    }
}
