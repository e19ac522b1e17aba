package dev.inkwell.story;

import dev.inkwell.prompt.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * What one frame of a story is generated from: the consolidated prompt (the identity prompt and
 * the frames of its window, joined with spaces), the frame it expresses and those it suppresses,
 * in the order the reweighting visits them.
 *
 * @param frame the frame's index in the story
 * @param window the story indices of the frames in the prompt, in prompt order
 */
public record FramePlan(int frame, String identity, List<String> frames, List<Integer> window) {
    /** The name of the identity prompt's part of {@link #prompt()}. */
    public static final String IDENTITY = "identity";

    public FramePlan {
        frames = List.copyOf(frames);
        window = List.copyOf(window);
    }

    /** The consolidated prompt, with parts {@link #IDENTITY} and one per frame of the window ({@link #part}). */
    public Prompt prompt() {
        List<Prompt.Part> parts = new ArrayList<>();
        parts.add(new Prompt.Part(IDENTITY, identity));
        for (int i : window) {
            parts.add(new Prompt.Part(part(i), frames.get(i)));
        }
        return new Prompt(parts);
    }

    /** The part name of story frame {@code i}: {@code frame 1}, {@code frame 2}, ... */
    public static String part(int i) {
        return "frame " + (i + 1);
    }

    public String express() {
        return frames.get(frame);
    }

    /**
     * The suppressed frames: the rest of the window in window order (with the whole story in the
     * window, the other frames in story order).
     */
    public List<String> suppress() {
        List<String> out = new ArrayList<>();
        for (int i : window) {
            if (i != frame) {
                out.add(frames.get(i));
            }
        }
        return out;
    }
}
