package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path configFolder;
    private final CheckpointType type;
    private final LdmKeys keys;

    private SingleFileCheckpoint(Path file, Path configFolder, CheckpointType type, List<String> keys) {
        this.file = file;
        this.configFolder = configFolder;
        this.type = type;
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
        if (configFolder != null && !Files.isDirectory(configFolder)) {
            throw new IllegalArgumentException(configFolder + ": config folder not found");
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            CheckpointType type = CheckpointDetector.detect(file, st.entries());
            return new SingleFileCheckpoint(file, configFolder, type, List.copyOf(st.entries().keySet()));
        }
    }

    public CheckpointType type() {
        return type;
    }

    @Override
    public JsonNode index() {
        Text t = text("model_index.json");
        try {
            return JSON.readTree(t.content());
        } catch (IOException e) {
            throw new IllegalArgumentException(t.source() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ClipTokenizer tokenizer(String name) {
        TextEncoder encoder = textEncoder(name);
        Path given = configFolder == null ? null : configFolder.resolve(name);
        return given != null && Files.isDirectory(given) ? ClipTokenizer.fromDirectory(given) : encoder.defaultTokenizer();
    }

    @Override
    public Config config(String component) {
        Text t = text(component + "/config.json");
        return Config.of(t.source(), t.content());
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
        return SchedulerConfig.parse(text("scheduler/scheduler_config.json").content());
    }

    private TextEncoder textEncoder(String component) {
        TextEncoder encoder = type.textEncoder(component);
        if (encoder == null) {
            throw new WeightsException(file + ": an " + type + " checkpoint has no " + component);
        }
        return encoder;
    }

    /** A config file's text and where it came from. */
    private record Text(String source, String content) {
    }

    /** The config folder's file at {@code relative}, else the standard one for this type. */
    private Text text(String relative) {
        try {
            Path given = configFolder == null ? null : configFolder.resolve(relative);
            if (given != null && Files.isRegularFile(given)) {
                return new Text(given.toString(), Files.readString(given));
            }
            String resource = type.resourceFolder() + relative;
            try (InputStream in = SingleFileCheckpoint.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing classpath resource " + resource);
                }
                return new Text("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative + ": " + e.getMessage(), e);
        }
    }
}
