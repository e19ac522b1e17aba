package dev.inkwell.tokenizer;

/** How prompt text is cleaned before pre-tokenisation. */
public enum TextNormalization {
    /**
     * HF {@code CLIPTokenizer} with ftfy installed: text is first split around added tokens, then each
     * piece gets {@code ftfy.fix_text}, whitespace collapsing and lower-casing. What SD pipelines use.
     */
    HUGGING_FACE,
    /**
     * openai/CLIP {@code SimpleTokenizer}: ftfy on the whole text, then {@code html.unescape} twice and
     * strip, whitespace collapsing and lower-casing; no added-token splitting.
     */
    OPENAI
}
