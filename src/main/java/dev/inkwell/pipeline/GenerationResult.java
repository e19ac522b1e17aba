package dev.inkwell.pipeline;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * @param latents the final latents before VAE decoding, flattened {@code [batch, C, h, w]}
 * @param latentShape their shape
 * @param seeds the seed each image was drawn with
 */
public record GenerationResult(List<BufferedImage> images, float[] latents, long[] latentShape, long[] seeds) {}
