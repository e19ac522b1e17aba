package dev.inkwell.story;

import java.util.List;

/**
 * One character in many frames: an identity prompt ("a photo of a red fox with coat") and frame
 * prompts ("wearing a scarf in a meadow", "playing in the snow", ...).
 */
public record Story(String identity, List<String> frames) {

    public Story {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a story needs an identity prompt");
        }
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("a story needs at least one frame");
        }
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i) == null || frames.get(i).isBlank()) {
                throw new IllegalArgumentException("frame " + (i + 1) + " of the story is empty");
            }
        }
        identity = identity.strip();
        frames = frames.stream().map(String::strip).toList();
    }

    public int size() {
        return frames.size();
    }
}
