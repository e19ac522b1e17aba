package dev.inkwell.story;

import dev.inkwell.prompt.ChunkedPrompt;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * 1Prompt1Story's circular sliding window: with more frames than fit in one prompt, frame i's
 * prompt holds the identity prompt and frames i, i+1, ... (wrapping round), the current frame
 * first; with all frames fitting, every frame shares the one prompt of all frames in story order.
 */
public final class StoryWindows {
    private StoryWindows() {}

    /**
     * One plan per frame, the window no longer than {@code window} and than what fits.
     *
     * @throws IllegalArgumentException if not even one frame fits beside the identity prompt
     */
    public static List<FramePlan> plan(Story story, int window, WindowRule rule, ClipTokenizer tokenizer) {
        if (window < 1) {
            throw new IllegalArgumentException("the window must hold at least one frame, not " + window);
        }
        int n = story.size();
        int fits = rule == WindowRule.WORDS ? maxWindowByWords(story) : maxWindowByTokens(story, tokenizer);
        if (fits < 1) {
            throw new IllegalArgumentException("the identity prompt leaves no room for a frame in the text encoder's "
                    + capacity(tokenizer) + " tokens");
        }
        int length = Math.min(window, fits);
        List<FramePlan> plans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            plans.add(new FramePlan(i, story.identity(), story.frames(), windowOf(i, length, n)));
        }
        if (rule == WindowRule.WORDS) {
            for (FramePlan p : plans) {
                int tokens = tokens(p, tokenizer);
                if (tokens > capacity(tokenizer)) {
                    throw new IllegalArgumentException("frame " + (p.frame() + 1) + "'s prompt has " + tokens
                            + " tokens, over the text encoder's " + capacity(tokenizer)
                            + " (the word rule let it through); use a smaller --window or the token rule");
                }
            }
        }
        return plans;
    }

    /** The story indices in frame i's prompt: all frames in order, or i, i+1, ... wrapping round. */
    static List<Integer> windowOf(int i, int length, int n) {
        List<Integer> out = new ArrayList<>();
        if (length >= n) {
            for (int j = 0; j < n; j++) {
                out.add(j);
            }
        } else {
            for (int j = 0; j < length; j++) {
                out.add((i + j) % n);
            }
        }
        return out;
    }

    /** The original's {@code get_max_window_length}: whitespace words, frames taken in story order, under 77. */
    static int maxWindowByWords(Story story) {
        StringBuilder prompt = new StringBuilder(story.identity());
        int count = 0;
        for (String frame : story.frames()) {
            prompt.append(' ').append(frame);
            if (prompt.toString().strip().split("\\s+").length >= 77) {
                break;
            }
            count++;
        }
        return count;
    }

    /** The longest window for which every frame's prompt fits one chunk (0 if none does). */
    static int maxWindowByTokens(Story story, ClipTokenizer tokenizer) {
        int n = story.size();
        for (int length = n; length >= 1; length--) {
            boolean all = true;
            for (int i = 0; i < n && all; i++) {
                all = tokens(new FramePlan(i, story.identity(), story.frames(), windowOf(i, length, n)), tokenizer)
                        <= capacity(tokenizer);
            }
            if (all) {
                return length;
            }
        }
        return 0;
    }

    private static int tokens(FramePlan plan, ClipTokenizer tokenizer) {
        ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(plan.prompt());
        return chunked.spans().get(chunked.spans().size() - 1).end();
    }

    private static int capacity(ClipTokenizer tokenizer) {
        return tokenizer.maxLength() - 2;
    }
}
