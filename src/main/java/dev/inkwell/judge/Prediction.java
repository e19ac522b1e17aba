package dev.inkwell.judge;

/** The judge's most probable value of one attribute and its softmax probability. */
public record Prediction(Attribute attribute, Enum<?> value, double probability) {}
