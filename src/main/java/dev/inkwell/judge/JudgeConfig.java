package dev.inkwell.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The judge's {@code config.json}: stem and stage widths, GroupNorm groups, how the last stage is
 * pooled for the heads, and the head sizes by attribute key, so a checkpoint trained for other
 * attribute counts is refused on load.
 *
 * @param blockOutChannels the stem's width, then one stride-2 stage per further entry
 */
public record JudgeConfig(List<Integer> blockOutChannels, int normNumGroups, Pooling pooling,
        Map<String, Integer> heads) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the heads read of the last stage's feature map. */
    public enum Pooling {
        /** Its mean over the positions: the judges saved before this field existed. */
        MEAN,
        /**
         * Its mean and its maximum over the positions, side by side: a scarf or an eye is a few of the
         * 4x4 positions, which the mean dilutes and the maximum keeps (docs/storybook-model.md).
         */
        MEAN_MAX;

        /** The name in {@code config.json}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The heads' input width over the last stage's. */
        public int widthFactor() {
            return this == MEAN ? 1 : 2;
        }

        static Pooling ofKey(String key) {
            for (Pooling p : values()) {
                if (p.key().equals(key)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown pooling \"" + key + "\" ("
                    + Arrays.stream(values()).map(Pooling::key).collect(Collectors.joining(", ")) + ")");
        }
    }

    public JudgeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        Objects.requireNonNull(pooling, "pooling");
        heads = Collections.unmodifiableMap(new LinkedHashMap<>(heads));
        if (blockOutChannels.size() < 2) {
            throw new IllegalArgumentException("the judge needs a stem width and at least one stage");
        }
    }

    /** 64x64 in, stages at 32, 16, 8 and 4 pixels, mean and max pooled; one head per {@link Attribute}. */
    public static JudgeConfig standard() {
        return new JudgeConfig(List.of(32, 48, 96, 160, 192), 8, Pooling.MEAN_MAX, currentHeads());
    }

    /** The head sizes this build's attributes have. */
    static Map<String, Integer> currentHeads() {
        Map<String, Integer> heads = new LinkedHashMap<>();
        for (Attribute a : Attribute.values()) {
            heads.put(a.key(), a.classes());
        }
        return heads;
    }

    /** Reads a {@code config.json} written by {@link #toJson}; one without {@code pooling} is mean-pooled. */
    public static JudgeConfig read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<Integer> channels = new ArrayList<>();
            root.required("block_out_channels").forEach(n -> channels.add(n.asInt()));
            Map<String, Integer> heads = new LinkedHashMap<>();
            root.required("heads").fields().forEachRemaining(e -> heads.put(e.getKey(), e.getValue().asInt()));
            Pooling pooling = root.has("pooling") ? Pooling.ofKey(root.get("pooling").asText()) : Pooling.MEAN;
            return new JudgeConfig(channels, root.required("norm_num_groups").asInt(), pooling, heads);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not a judge config: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("_class_name", "InkwellJudge");
        root.set("block_out_channels", JSON.valueToTree(blockOutChannels));
        root.put("norm_num_groups", normNumGroups);
        root.put("pooling", pooling.key());
        root.set("heads", JSON.valueToTree(heads));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
