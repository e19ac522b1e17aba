package dev.inkwell.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.weights.RandomSource;
import dev.inkwell.weights.WeightSource;

/**
 * A full-size model of a standard type with made-up weights: the real architecture and configs,
 * so benchmarks measure real work without a multi-gigabyte download. Its images are noise.
 */
public final class RandomCheckpoint implements ModelParts {
    private final StandardConfigs configs;
    private final long seed;

    public RandomCheckpoint(CheckpointType type, long seed) {
        this.configs = new StandardConfigs(type, null);
        this.seed = seed;
    }

    @Override
    public JsonNode index() {
        return configs.index();
    }

    @Override
    public ClipTokenizer tokenizer(String name) {
        return configs.tokenizer(name, configs.type().textEncoder(name));
    }

    @Override
    public Config config(String component) {
        return configs.config(component);
    }

    @Override
    public WeightSource weights(String component) {
        return new RandomSource(seed);
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return configs.schedulerConfig();
    }
}
