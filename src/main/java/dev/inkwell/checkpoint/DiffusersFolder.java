package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.weights.ComponentFiles;
import dev.inkwell.weights.WeightSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model in the diffusers layout: {@code model_index.json} and one folder per component. */
public final class DiffusersFolder implements ModelParts {
    private final Path folder;
    private final JsonNode index;

    private DiffusersFolder(Path folder, JsonNode index) {
        this.folder = folder;
        this.index = index;
    }

    /** @throws IllegalArgumentException if {@code folder} has no {@code model_index.json} */
    public static DiffusersFolder open(Path folder) {
        Path index = folder.resolve("model_index.json");
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(folder + ": not a diffusers model folder (no model_index.json)");
        }
        try {
            return new DiffusersFolder(folder, new ObjectMapper().readTree(index.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": " + e.getMessage(), e);
        }
    }

    @Override
    public JsonNode index() {
        return index;
    }

    @Override
    public ClipTokenizer tokenizer(String name) {
        return ClipTokenizer.fromDirectory(folder.resolve(name));
    }

    @Override
    public Config config(String component) {
        return Config.read(folder.resolve(component).resolve("config.json"));
    }

    @Override
    public WeightSource weights(String component) {
        return ComponentFiles.open(folder.resolve(component));
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return SchedulerConfig.read(folder.resolve("scheduler").resolve("scheduler_config.json"));
    }
}
