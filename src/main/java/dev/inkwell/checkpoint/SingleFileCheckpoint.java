package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inkwell.checkpoint.CheckpointType.TextEncoder;
import dev.inkwell.checkpoint.MappedSource.Stored;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsSource;
import dev.inkwell.weights.WeightSource;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A single-file checkpoint in the original CompVis / Stability naming (UNet under
 * {@code model.diffusion_model.}, VAE under {@code first_stage_model.}, text encoders under
 * {@code cond_stage_model.} or {@code conditioner.embedders.}), seen as diffusers components.
 *
 * <p>Such a file holds weights only, so, as with diffusers' {@code from_single_file}, the configs
 * are the standard ones of the detected {@link CheckpointType}, and the tokenizers are CLIP's
 * vocabulary with that encoder's padding. A config folder (a diffusers folder, complete or not)
 * replaces any of them it has: {@code model_index.json}, {@code <component>/config.json},
 * {@code scheduler/scheduler_config.json}, {@code tokenizer/}, {@code tokenizer_2/}.
 */
public final class SingleFileCheckpoint implements ModelParts {
    private final Path file;
    private final StandardConfigs configs;
    private final LdmKeys keys;

    private SingleFileCheckpoint(Path file, StandardConfigs configs, List<String> keys) {
        this.file = file;
        this.configs = configs;
        this.keys = new LdmKeys(file, keys);
    }

    /**
     * Reads the file's header and detects its type; tensors are read later, per component.
     *
     * @param configFolder overrides for the standard configs, or {@code null}
     * @throws WeightsException naming the file if it is refused (a pickle), malformed, or not a
     *     supported checkpoint type
     */
    public static SingleFileCheckpoint open(Path file, Path configFolder) {
        try (SafeTensors st = SafeTensors.open(file)) {
            CheckpointType type = CheckpointDetector.detect(file, st.entries());
            return new SingleFileCheckpoint(file, new StandardConfigs(type, configFolder), List.copyOf(st.entries().keySet()));
        }
    }

    public CheckpointType type() {
        return configs.type();
    }

    @Override
    public JsonNode index() {
        return configs.index();
    }

    @Override
    public ClipTokenizer tokenizer(String name) {
        return configs.tokenizer(name, textEncoder(name));
    }

    @Override
    public Config config(String component) {
        return configs.config(component);
    }

    @Override
    public WeightSource weights(String component) {
        Map<String, Stored> mapping = switch (component) {
            case "unet" -> keys.unet(UNetConfig.from(config(component)));
            case "vae" -> keys.vae(VaeConfig.from(config(component)));
            default -> {
                TextEncoder encoder = textEncoder(component);
                yield encoder.openClip() ? keys.openClip(encoder.prefix()) : keys.clip(encoder.prefix());
            }
        };
        return new MappedSource(SafeTensorsSource.open(List.of(file)), mapping);
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return configs.schedulerConfig();
    }

    private TextEncoder textEncoder(String component) {
        TextEncoder encoder = configs.type().textEncoder(component);
        if (encoder == null) {
            throw new WeightsException(file + ": an " + configs.type() + " checkpoint has no " + component);
        }
        return encoder;
    }
}
