package dev.inkwell.pipeline;

import dev.inkwell.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * @param latents the final latents before VAE decoding, flattened {@code [batch, C, h, w]}
 * @param latentShape their shape
 * @param seeds the seed each image was drawn with
 * @param scheduler the scheduler that ran: the request's, or the model's default
 */
public record GenerationResult(
        List<BufferedImage> images, float[] latents, long[] latentShape, long[] seeds, SchedulerKind scheduler) {}
