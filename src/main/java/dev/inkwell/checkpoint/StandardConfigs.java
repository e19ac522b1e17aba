package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.checkpoint.CheckpointType.TextEncoder;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything of a model but its weights, for a {@link CheckpointType}: the standard diffusers
 * configs shipped with Inkwell and CLIP's vocabulary with that encoder's padding, each replaced by
 * the matching file of an optional override folder (a diffusers folder, complete or not).
 */
public final class StandardConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointType type;
    private final Path overrides;

    /** @param overrides a folder whose files replace the standard ones, or {@code null} */
    public StandardConfigs(CheckpointType type, Path overrides) {
        if (overrides != null && !Files.isDirectory(overrides)) {
            throw new IllegalArgumentException(overrides + ": config folder not found");
        }
        this.type = type;
        this.overrides = overrides;
    }

    public CheckpointType type() {
        return type;
    }

    public JsonNode index() {
        Text t = text("model_index.json");
        try {
            return JSON.readTree(t.content());
        } catch (IOException e) {
            throw new IllegalArgumentException(t.source() + ": " + e.getMessage(), e);
        }
    }

    /** @param encoder the text encoder the tokenizer belongs to (null if the type has none) */
    ClipTokenizer tokenizer(String name, TextEncoder encoder) {
        Path given = overrides == null ? null : overrides.resolve(name);
        return given != null && Files.isDirectory(given) ? ClipTokenizer.fromDirectory(given) : encoder.defaultTokenizer();
    }

    public Config config(String component) {
        Text t = text(component + "/config.json");
        return Config.of(t.source(), t.content());
    }

    public SchedulerConfig schedulerConfig() {
        return SchedulerConfig.parse(text("scheduler/scheduler_config.json").content());
    }

    /** A config file's text and where it came from. */
    private record Text(String source, String content) {
    }

    /** The override folder's file at {@code relative}, else the standard one for this type. */
    private Text text(String relative) {
        try {
            Path given = overrides == null ? null : overrides.resolve(relative);
            if (given != null && Files.isRegularFile(given)) {
                return new Text(given.toString(), Files.readString(given));
            }
            String resource = type.resourceFolder() + relative;
            try (InputStream in = StandardConfigs.class.getResourceAsStream(resource)) {
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
