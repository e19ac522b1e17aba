package dev.inkwell.story;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stories in the original's JSON format ({@code resource/example.json}):
 * {@code {"combinations": [{"id_prompt": "...", "frame_prompt_list": ["...", ...]}, ...]}}.
 */
public final class StoryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoryFile() {}

    public static List<Story> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("story file not found: " + file);
        }
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<Story> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        JsonNode list = root == null ? null : root.get("combinations");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("expected {\"combinations\": [{\"id_prompt\": ..., \"frame_prompt_list\": [...]}, ...]}");
        }
        List<Story> stories = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            JsonNode id = entry.get("id_prompt");
            JsonNode frames = entry.get("frame_prompt_list");
            if (id == null || !id.isTextual() || frames == null || !frames.isArray()) {
                throw new IllegalArgumentException("combination " + (i + 1)
                        + " needs a text \"id_prompt\" and a list \"frame_prompt_list\"");
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode f : frames) {
                if (!f.isTextual()) {
                    throw new IllegalArgumentException("combination " + (i + 1) + ": every frame prompt must be text");
                }
                texts.add(f.asText());
            }
            try {
                stories.add(new Story(id.asText(), texts));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("combination " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return stories;
    }

    /** The stories in the same format, pretty-printed. */
    public static String format(List<Story> stories) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("combinations");
        for (Story s : stories) {
            ObjectNode entry = list.addObject();
            entry.put("id_prompt", s.identity());
            ArrayNode frames = entry.putArray("frame_prompt_list");
            s.frames().forEach(frames::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
