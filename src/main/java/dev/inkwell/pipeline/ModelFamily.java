package dev.inkwell.pipeline;

/** The checkpoint families Inkwell runs; they differ in how prompts become UNet conditioning. */
public enum ModelFamily {
    /** SD 1.x: one CLIP ViT-L text encoder, last layer. */
    SD1,
    /** SD 2.x: one OpenCLIP ViT-H text encoder, "!" padding, often v-prediction. */
    SD2,
    /** SDXL: two text encoders, penultimate layers concatenated, pooled embedding and size conditioning. */
    SDXL
}
