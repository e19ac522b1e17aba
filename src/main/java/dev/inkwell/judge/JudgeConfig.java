package dev.inkwell.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The judge's {@code config.json}: stem and stage widths, GroupNorm groups, and the head sizes by
 * attribute key, so a checkpoint trained for other attribute counts is refused on load.
 *
 * @param blockOutChannels the stem's width, then one stride-2 stage per further entry
 */
public record JudgeConfig(List<Integer> blockOutChannels, int normNumGroups, Map<String, Integer> heads) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JudgeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        heads = Collections.unmodifiableMap(new LinkedHashMap<>(heads));
        if (blockOutChannels.size() < 2) {
            throw new IllegalArgumentException("the judge needs a stem width and at least one stage");
        }
    }

    /** 64x64 in, stages at 32, 16, 8 and 4 pixels; one head per {@link Attribute}. */
    public static JudgeConfig standard() {
        return new JudgeConfig(List.of(32, 48, 96, 160, 192), 8, currentHeads());
    }

    /** The head sizes this build's attributes have. */
    static Map<String, Integer> currentHeads() {
        Map<String, Integer> heads = new LinkedHashMap<>();
        for (Attribute a : Attribute.values()) {
            heads.put(a.key(), a.classes());
        }
        return heads;
    }

    /** Reads a {@code config.json} written by {@link #toJson}. */
    public static JudgeConfig read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<Integer> channels = new ArrayList<>();
            root.required("block_out_channels").forEach(n -> channels.add(n.asInt()));
            Map<String, Integer> heads = new LinkedHashMap<>();
            root.required("heads").fields().forEachRemaining(e -> heads.put(e.getKey(), e.getValue().asInt()));
            return new JudgeConfig(channels, root.required("norm_num_groups").asInt(), heads);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not a judge config: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("_class_name", "InkwellJudge");
        root.set("block_out_channels", JSON.valueToTree(blockOutChannels));
        root.put("norm_num_groups", normNumGroups);
        root.set("heads", JSON.valueToTree(heads));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
