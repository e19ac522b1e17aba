package dev.inkwell.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the weight files of one component folder of a diffusers model ({@code unet/},
 * {@code text_encoder/}, ...): a single safetensors file, its fp16 variant, or shards listed in a
 * {@code .safetensors.index.json}. Pickle-format weights are refused with conversion advice.
 */
public final class ComponentFiles {
    private static final List<String> NAMES = List.of("diffusion_pytorch_model", "model");

    private ComponentFiles() {}

    public static WeightSource open(Path componentDir) {
        return SafeTensorsSource.open(find(componentDir));
    }

    public static List<Path> find(Path componentDir) {
        if (!Files.isDirectory(componentDir)) {
            throw new WeightsException(componentDir + ": component folder not found");
        }
        for (String name : NAMES) {
            for (String suffix : List.of(".safetensors", ".fp16.safetensors")) {
                Path single = componentDir.resolve(name + suffix);
                if (Files.isRegularFile(single)) {
                    return List.of(single);
                }
                Path index = componentDir.resolve(name + suffix + ".index.json");
                if (Files.isRegularFile(index)) {
                    return shards(index);
                }
            }
        }
        try (Stream<Path> files = Files.list(componentDir)) {
            List<Path> pickles = files.filter(f -> f.getFileName().toString().endsWith(".bin")).toList();
            if (!pickles.isEmpty()) {
                CheckpointFiles.requireSafetensors(pickles.get(0)); // refuses, with conversion advice
            }
        } catch (IOException e) {
            throw new WeightsException(componentDir + ": cannot list: " + e.getMessage(), e);
        }
        throw new WeightsException(componentDir + ": no diffusion_pytorch_model.safetensors or model.safetensors");
    }

    private static List<Path> shards(Path index) {
        try {
            JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
            if (map == null || !map.isObject()) {
                throw new WeightsException(index + ": no weight_map");
            }
            TreeSet<String> names = new TreeSet<>();
            map.elements().forEachRemaining(n -> names.add(n.asText()));
            List<Path> out = new ArrayList<>();
            for (String n : names) {
                Path shard = index.resolveSibling(n);
                if (shard.getParent() == null || !shard.normalize().startsWith(index.getParent().normalize())) {
                    throw new WeightsException(index + ": shard '" + n + "' lies outside the folder");
                }
                out.add(shard);
            }
            return out;
        } catch (IOException e) {
            throw new WeightsException(index + ": cannot read: " + e.getMessage(), e);
        }
    }
}
