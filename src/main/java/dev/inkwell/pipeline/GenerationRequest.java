package dev.inkwell.pipeline;

import dev.inkwell.scheduler.SchedulerKind;

/**
 * One text-to-image request.
 *
 * @param negativePrompt replaces the empty prompt in the unconditional branch of
 *     classifier-free guidance; {@code null} means none
 * @param guidance classifier-free guidance scale; at most 1 runs the positive branch only
 * @param scheduler {@code null} for the model's own scheduler
 * @param seed image i of the batch uses {@code seed + i}
 * @param initNoise {@code null}, or the initial standard-normal latents {@code [batch, C, h, w]}
 *     flattened, which replace the seeded noise (the scheduler's init_noise_sigma is still applied)
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        int width,
        int height,
        int steps,
        double guidance,
        SchedulerKind scheduler,
        long seed,
        int batchSize,
        float[] initNoise) {

    public GenerationRequest {
        if (prompt == null) {
            throw new IllegalArgumentException("a prompt is required");
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, not " + steps);
        }
        if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("width and height must be positive multiples of 8, not "
                    + width + "x" + height);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
    }
}
