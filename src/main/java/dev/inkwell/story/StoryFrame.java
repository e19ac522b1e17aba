package dev.inkwell.story;

import java.awt.image.BufferedImage;

/**
 * One finished frame of a story.
 *
 * @param plan the frame's prompt, window and edits
 * @param negativePrompt the frame's negative prompt, or {@code null}
 * @param latents the final latents before VAE decoding, {@code [1, C, h, w]} flattened
 * @param seconds the frame's wall-clock time, encoding to decoding
 */
public record StoryFrame(FramePlan plan, String negativePrompt, BufferedImage image, float[] latents, long[] latentShape,
        double seconds) {

    public int index() {
        return plan.frame();
    }
}
