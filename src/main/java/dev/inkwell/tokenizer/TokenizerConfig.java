package dev.inkwell.tokenizer;

import java.util.Map;

/**
 * The special tokens and limits of one tokenizer, as HF reads them from tokenizer_config.json and
 * special_tokens_map.json.
 *
 * @param addedTokens extra tokens from {@code added_tokens_decoder}, content to id; like the special
 *     tokens they are split off the text before BPE
 */
record TokenizerConfig(String bos, String eos, String unk, String pad, int maxLength,
                       Map<String, Integer> addedTokens) {

    static final String START_OF_TEXT = "<|startoftext|>";
    static final String END_OF_TEXT = "<|endoftext|>";
    static final int DEFAULT_MAX_LENGTH = 77;

    TokenizerConfig {
        addedTokens = Map.copyOf(addedTokens);
    }

    /** CLIP's own special tokens, as in openai/CLIP, with the given pad token. */
    static TokenizerConfig clipDefaults(String pad) {
        return new TokenizerConfig(START_OF_TEXT, END_OF_TEXT, END_OF_TEXT, pad, DEFAULT_MAX_LENGTH, Map.of());
    }
}
