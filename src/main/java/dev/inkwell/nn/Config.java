package dev.inkwell.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A component's {@code config.json}, read as diffusers and transformers read it: keys the file
 * lacks take the class's default; a value given as one number where a per-block list is allowed
 * applies to every block.
 */
public final class Config {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String source;
    private final JsonNode root;

    private Config(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    public static Config read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": config file not found");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            return new Config(file.toString(), node);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read config: " + e.getMessage(), e);
        }
    }

    public static Config of(String source, String json) {
        try {
            return new Config(source, JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    public boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    public int integer(String key, int fallback) {
        return has(key) ? number(key).intValue() : fallback;
    }

    public int integer(String key) {
        return require(key).intValue();
    }

    public double real(String key, double fallback) {
        return has(key) ? number(key).doubleValue() : fallback;
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? root.get(key).asBoolean() : fallback;
    }

    public String string(String key, String fallback) {
        return has(key) ? root.get(key).asText() : fallback;
    }

    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : require(key)) {
            out.add(n.asText());
        }
        return out;
    }

    /** A per-block integer list of length {@code count}; a single number is repeated. */
    public int[] integers(String key, int count) {
        JsonNode n = require(key);
        int[] out = new int[count];
        if (n.isArray()) {
            if (n.size() != count) {
                throw new IllegalArgumentException(source + ": '" + key + "' has " + n.size()
                        + " values but the model has " + count + " blocks");
            }
            for (int i = 0; i < count; i++) {
                out[i] = n.get(i).asInt();
            }
        } else {
            java.util.Arrays.fill(out, n.asInt());
        }
        return out;
    }

    public int[] integers(String key) {
        JsonNode n = require(key);
        return integers(key, n.isArray() ? n.size() : 1);
    }

    public String source() {
        return source;
    }

    /** The nested object {@code key} (as transformers nests {@code text_config} in a {@code CLIPModel} config). */
    public Config child(String key) {
        JsonNode n = require(key);
        if (!n.isObject()) {
            throw new IllegalArgumentException(source + ": '" + key + "' is not an object");
        }
        return new Config(source + "#" + key, n);
    }

    /** Pretty-printed JSON of {@code fields} in their order, as the config files this project writes. */
    public static String toJson(Map<String, ?> fields) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode number(String key) {
        JsonNode n = root.get(key);
        if (!n.isNumber()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be a number, not " + n);
        }
        return n;
    }

    private JsonNode require(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(source + ": missing '" + key + "'");
        }
        return root.get(key);
    }
}
