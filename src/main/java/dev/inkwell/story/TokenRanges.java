package dev.inkwell.story;

import dev.inkwell.prompt.ChunkedPrompt;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.prompt.TokenRange;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a frame's words sit in a consolidated prompt, found as the original finds them
 * ({@code find_sublist_index}): the frame tokenized alone, then its first exact occurrence in the
 * prompt's first-tokenizer chunk. So a repeated frame, or one whose words also occur earlier (in
 * the identity prompt, or inside an earlier frame), resolves to that first occurrence, as in the
 * reference; {@link ChunkedPrompt#positions} gives the parts' true positions instead.
 */
public final class TokenRanges {
    private final ClipTokenizer tokenizer;
    private final int[] ids;

    /** @param prompt the consolidated prompt, fitting one chunk */
    public TokenRanges(ClipTokenizer tokenizer, ChunkedPrompt prompt) {
        if (prompt.chunks().size() != 1) {
            throw new IllegalArgumentException("a story prompt must fit one text-encoder chunk, this one takes "
                    + prompt.chunks().size());
        }
        this.tokenizer = tokenizer;
        this.ids = prompt.chunks().get(0).ids();
    }

    /**
     * The first occurrence of {@code text}'s tokens.
     *
     * @throws IllegalArgumentException if they do not occur (a frame cut off by the chunk's end)
     */
    public TokenRange of(String text) {
        int[] sub = promptTokens(text);
        for (int i = 0; i + sub.length <= ids.length; i++) {
            if (Arrays.equals(ids, i, i + sub.length, sub, 0, sub.length)) {
                return new TokenRange(i, i + sub.length);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not among the prompt's " + tokenizer.maxLength() + " tokens");
    }

    /**
     * The end-of-text position and every padding position after it: where SD's first tokenizer
     * pads with its end token, exactly the original's "every {@code <|endoftext|>}".
     */
    public List<Integer> endOfText() {
        List<Integer> out = new ArrayList<>();
        int first = 1;
        while (first < ids.length && ids[first] != tokenizer.eosId()) {
            first++;
        }
        for (int i = first; i < ids.length; i++) {
            out.add(i);
        }
        return out;
    }

    private int[] promptTokens(String text) {
        ChunkedPrompt alone = new PromptChunker(tokenizer).chunk(text);
        int length = alone.spans().get(0).length();
        return Arrays.copyOfRange(alone.chunks().get(0).ids(), 1, 1 + length);
    }
}
