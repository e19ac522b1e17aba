package dev.inkwell.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.testing.Goldens;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptPartsTest {
    private final ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Goldens.model("sd15-tiny").resolve("tokenizer"));

    @Test
    void eachPartKnowsItsPositionsAcrossWeightsAndChunks() {
        String long60 = String.join(" ", Collections.nCopies(60, "fox"));
        Prompt prompt = new Prompt(List.of(new Prompt.Part("identity", "a (red:1.3) fox"),
                new Prompt.Part("long", long60), new Prompt.Part("frame", "in the [snow]")));
        assertEquals("a (red:1.3) fox " + long60 + " in the [snow]", prompt.text());
        ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(prompt);
        assertEquals(1, chunked.chunks().size());
        assertArrayEquals(new int[] {1, 2, 3}, chunked.positions("identity"));
        // 3 + 60 tokens before the frame; pushed 11 tokens on, the frame straddles the two chunks.
        int[] frame = chunked.positions("frame");
        assertArrayEquals(new int[] {64, 65, 66}, frame);
        Prompt pushed = new Prompt(List.of(new Prompt.Part("identity", "a (red:1.3) fox"),
                new Prompt.Part("long", long60 + " " + String.join(" ", Collections.nCopies(11, "fox"))),
                new Prompt.Part("frame", "in the [snow]")));
        ChunkedPrompt two = new PromptChunker(tokenizer).chunk(pushed);
        assertEquals(2, two.chunks().size());
        assertArrayEquals(new int[] {75, 77 + 1, 77 + 2}, two.positions("frame"));
        int[] ids = chunked.chunks().get(0).ids();
        assertEquals(tokenizer.idOf("red</w>").getAsInt(), ids[2]);
        assertEquals(1.3f, chunked.chunks().get(0).weights()[2], 1e-6);
    }

    @Test
    void aBreakInsideAPartMovesTheRestToTheNextChunk() {
        Prompt prompt = new Prompt(List.of(new Prompt.Part("a", "a red fox BREAK in the snow"), new Prompt.Part("b", "at night")));
        ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(prompt);
        assertArrayEquals(new int[] {1, 2, 3, 78, 79, 80}, chunked.positions("a"));
        assertArrayEquals(new int[] {81, 82}, chunked.positions("b"));
    }

    @Test
    void aPlainPromptIsOnePartAndNamesAreUnique() {
        assertEquals(List.of(new Prompt.Part(Prompt.WHOLE, "a fox")), Prompt.of("a fox").parts());
        List<Prompt.Part> twice = new ArrayList<>(List.of(new Prompt.Part("x", "a"), new Prompt.Part("x", "b")));
        assertThrows(IllegalArgumentException.class, () -> new Prompt(twice));
        ChunkedPrompt plain = new PromptChunker(tokenizer).chunk(Prompt.of("a red fox"));
        assertEquals(new PromptChunker(tokenizer).chunk("a red fox").chunks(), plain.chunks());
        assertArrayEquals(new int[] {1, 2, 3}, plain.positions(Prompt.WHOLE));
    }
}
