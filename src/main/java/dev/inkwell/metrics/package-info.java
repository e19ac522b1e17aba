/**
 * Numbers for what a picture shows, so that every claim about stories and personalization is a
 * figure: CLIP similarities ({@link dev.inkwell.metrics.ClipScore}: CLIP-T, image against text;
 * CLIP-I, image against image) on any CLIP model, the storybook world's judge read as identity
 * consistency and prompt alignment ({@link dev.inkwell.metrics.IdentityConsistency},
 * {@link dev.inkwell.metrics.NamedAttributes}), and bootstrap intervals ({@link dev.inkwell.metrics.Bootstrap}).
 */
package dev.inkwell.metrics;
