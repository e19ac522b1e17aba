package dev.inkwell.world;

/** Fur pattern: an identity attribute, never named in captions. */
public enum Pattern { PLAIN, SPOTS, STRIPES, PATCH }
