package dev.inkwell.story;

/** How the longest window that fits beside the identity prompt is measured. */
public enum WindowRule {
    /**
     * Inkwell's rule: the longest window whose every consolidated prompt fits one text-encoder
     * chunk (75 tokens), counted by the model's tokenizer.
     */
    TOKENS,
    /**
     * The original's rule ({@code get_max_window_length}): frames are appended in order to the
     * identity prompt while the whitespace-separated word count stays under 77. A prompt that then
     * runs past 75 tokens is refused, where the original would silently lose the cut frame.
     */
    WORDS
}
