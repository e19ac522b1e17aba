package dev.inkwell.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.prompt.ChunkSpan.Cut;
import dev.inkwell.testing.Goldens;
import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AUTOMATIC1111's {@code tokenize_line} chunking, with ids of the SDXL tokenizers (CLIP's vocabulary). */
class PromptChunkerTest {

    private static final int BOS = 49406;
    private static final int EOS = 49407;
    private static final int A = 320;
    private static final int RED = 736;
    private static final int FOX = 3240;
    private static final int CAT = 2368;
    private static final int DOG = 1929;
    private static final int COMMA = 267;
    private static final int BANG_PAD = 0;

    private static ClipTokenizer tokenizer;
    private static ClipTokenizer tokenizer2;
    private static PromptChunker chunker;

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.fromDirectory(Goldens.model("sdxl-tiny").resolve("tokenizer"));
        tokenizer2 = ClipTokenizer.fromDirectory(Goldens.model("sdxl-tiny").resolve("tokenizer_2"));
        chunker = new PromptChunker(tokenizer);
    }

    /** The expected 77-id chunk: start, the text ids, end, then pad ids; weight 1 where none given. */
    private static TokenChunk chunk(int pad, int[] text, float[] weights) {
        int[] ids = new int[77];
        float[] w = new float[77];
        Arrays.fill(ids, pad);
        Arrays.fill(w, 1f);
        ids[0] = BOS;
        System.arraycopy(text, 0, ids, 1, text.length);
        System.arraycopy(weights, 0, w, 1, weights.length);
        ids[text.length + 1] = EOS;
        return new TokenChunk(ids, w);
    }

    private static TokenChunk chunk(int... text) {
        return chunk(EOS, text, new float[0]);
    }

    private static int[] cats(int n) {
        int[] ids = new int[n];
        Arrays.fill(ids, CAT);
        return ids;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static String words(String word, int n) {
        return String.join(" ", java.util.Collections.nCopies(n, word));
    }

    /** {@code before} cats, a comma, {@code after} cats: the comma is prompt token number {@code before}. */
    private static String commaAt(int before, int after) {
        return words("cat", before) + ", " + words("cat", after);
    }

    @Test
    void emptyPromptIsOneChunkOfStartEndAndPadding() {
        ChunkedPrompt result = chunker.chunk("");
        assertEquals(List.of(chunk()), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 0, Cut.END)), result.spans());
        assertEquals(0, result.tokenCount());
        assertEquals(75, result.targetTokenCount());
        assertEquals(75, result.chunkCapacity());
    }

    @Test
    void weightsFollowTheirTokens() {
        ChunkedPrompt result = chunker.chunk("a (red:1.5) fox");
        assertEquals(List.of(chunk(EOS, new int[] {A, RED, FOX}, new float[] {1f, 1.5f, 1f})), result.chunks());
        assertEquals(3, result.tokenCount());
        assertArrayEquals(new float[] {1f, 1.2100000000000002f},
                Arrays.copyOfRange(chunker.chunk("a ((red))").chunks().get(0).weights(), 1, 3));
    }

    @Test
    void eachRunIsTokenizedOnItsOwn() {
        assertEquals(chunk(21559), chunker.chunk("sunflower").chunks().get(0));
        assertEquals(chunk(EOS, new int[] {2176, 4055}, new float[] {1f, 1.1f}), chunker.chunk("sun(flower)").chunks().get(0));
    }

    @Test
    void escapedBracketsAreTokenizedAsText() {
        assertEquals(chunk(263, CAT, 264), chunker.chunk("\\(cat\\)").chunks().get(0));
        assertEquals(chunk(EOS, new int[] {263, CAT, 264}, new float[] {1.1f, 1.1f, 1.1f}),
                chunker.chunk("(\\(cat\\))").chunks().get(0));
    }

    @Test
    void emphasisNoneKeepsBracketsAsText() {
        ChunkedPrompt result = chunker.chunk(List.of(new WeightedText("a (red:1.5) fox", 1.0)));
        int[] ids = tokenizer.bpeTokens("a (red:1.5) fox").stream().mapToInt(Integer::intValue).toArray();
        assertEquals(List.of(chunk(ids)), result.chunks());
    }

    @Test
    void exactlySeventyFiveTokensFitOneChunk() {
        ChunkedPrompt result = chunker.chunk(words("cat", 75));
        assertEquals(List.of(chunk(cats(75))), result.chunks());
        assertEquals(75, result.tokenCount());
        assertEquals(75, result.targetTokenCount());
    }

    @Test
    void longPromptWithoutCommasSplitsAtSeventyFive() {
        ChunkedPrompt result = chunker.chunk(words("cat", 80));
        assertEquals(List.of(chunk(cats(75)), chunk(cats(5))), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 75, Cut.FULL), new ChunkSpan(75, 80, Cut.END)), result.spans());
        assertEquals(80, result.tokenCount());
        assertEquals(150, result.targetTokenCount());
    }

    @Test
    void commaWithinTheLastTwentyTokensEndsTheChunk() {
        ChunkedPrompt result = chunker.chunk(commaAt(70, 10));
        assertEquals(List.of(chunk(concat(cats(70), new int[] {COMMA})), chunk(cats(10))), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 71, Cut.COMMA), new ChunkSpan(71, 81, Cut.END)), result.spans());
        assertEquals(85, result.tokenCount());
    }

    @Test
    void commaTwentyTokensBackIsTheLimit() {
        assertEquals(List.of(new ChunkSpan(0, 56, Cut.COMMA), new ChunkSpan(56, 81, Cut.END)),
                chunker.chunk(commaAt(55, 25)).spans());
        assertEquals(List.of(new ChunkSpan(0, 75, Cut.FULL), new ChunkSpan(75, 81, Cut.END)),
                chunker.chunk(commaAt(54, 26)).spans());
    }

    @Test
    void commaFurtherBackDoesNotMoveTokens() {
        ChunkedPrompt result = chunker.chunk(commaAt(40, 40));
        assertEquals(List.of(chunk(concat(cats(40), new int[] {COMMA}, cats(34))), chunk(cats(6))), result.chunks());
        assertEquals(81, result.tokenCount());
    }

    @Test
    void theLastCommaCounts() {
        String prompt = words("cat", 60) + ", " + words("cat", 9) + ", " + words("cat", 10);
        assertEquals(List.of(new ChunkSpan(0, 71, Cut.COMMA), new ChunkSpan(71, 81, Cut.END)),
                chunker.chunk(prompt).spans());
    }

    @Test
    void commaArrivingAtAFullChunkStartsTheNextChunk() {
        ChunkedPrompt result = chunker.chunk(commaAt(75, 5));
        assertEquals(List.of(chunk(cats(75)), chunk(concat(new int[] {COMMA}, cats(5)))), result.chunks());
        assertEquals(81, result.tokenCount());
    }

    @Test
    void backtrackZeroTurnsCommaCutsOff() {
        assertEquals(List.of(new ChunkSpan(0, 75, Cut.FULL), new ChunkSpan(75, 81, Cut.END)),
                new PromptChunker(tokenizer, 0).chunk(commaAt(70, 10)).spans());
    }

    @Test
    void commaCutsRepeatInLaterChunks() {
        String prompt = commaAt(70, 10) + ", " + words("cat", 70);
        assertEquals(List.of(new ChunkSpan(0, 71, Cut.COMMA), new ChunkSpan(71, 146, Cut.FULL),
                new ChunkSpan(146, 152, Cut.END)), chunker.chunk(prompt).spans());
        String second = words("cat", 75) + " " + commaAt(65, 20);
        assertEquals(List.of(new ChunkSpan(0, 75, Cut.FULL), new ChunkSpan(75, 141, Cut.COMMA),
                new ChunkSpan(141, 161, Cut.END)), chunker.chunk(second).spans());
    }

    @Test
    void breakSplitsChunks() {
        ChunkedPrompt result = chunker.chunk("cat BREAK dog");
        assertEquals(List.of(chunk(CAT), chunk(DOG)), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 1, Cut.BREAK), new ChunkSpan(1, 2, Cut.END)), result.spans());
        assertEquals(76, result.tokenCount());
        assertEquals(150, result.targetTokenCount());
    }

    @Test
    void breakAtTheStartGivesAnEmptyFirstChunk() {
        ChunkedPrompt result = chunker.chunk("BREAK dog");
        assertEquals(List.of(chunk(), chunk(DOG)), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 0, Cut.BREAK), new ChunkSpan(0, 1, Cut.END)), result.spans());
        assertEquals(76, result.tokenCount());
    }

    @Test
    void breakAtTheEndAddsNoEmptyChunk() {
        ChunkedPrompt result = chunker.chunk("cat BREAK");
        assertEquals(List.of(chunk(CAT)), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 1, Cut.BREAK)), result.spans());
        assertEquals(75, result.tokenCount());
    }

    @Test
    void breakAloneIsOneEmptyChunk() {
        ChunkedPrompt result = chunker.chunk("BREAK");
        assertEquals(List.of(chunk()), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 0, Cut.BREAK)), result.spans());
        assertEquals(75, result.tokenCount());
    }

    @Test
    void breakTwiceInARowGivesAnEmptyChunkBetween() {
        ChunkedPrompt result = chunker.chunk("cat BREAK BREAK dog");
        assertEquals(List.of(chunk(CAT), chunk(), chunk(DOG)), result.chunks());
        assertEquals(151, result.tokenCount());
        assertEquals(225, result.targetTokenCount());
    }

    @Test
    void breakAfterAFullChunkAddsNoEmptyChunk() {
        ChunkedPrompt result = chunker.chunk(words("cat", 75) + " BREAK dog");
        assertEquals(List.of(chunk(cats(75)), chunk(DOG)), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 75, Cut.BREAK), new ChunkSpan(75, 76, Cut.END)), result.spans());
        assertEquals(76, result.tokenCount());
    }

    @Test
    void breakForgetsTheCommaOfTheChunkItEnds() {
        String prompt = commaAt(70, 0) + " BREAK " + words("cat", 80);
        assertEquals(List.of(new ChunkSpan(0, 71, Cut.BREAK), new ChunkSpan(71, 146, Cut.FULL),
                new ChunkSpan(146, 151, Cut.END)), chunker.chunk(prompt).spans());
    }

    @Test
    void breakInsideBracketsIsAWeightedWord() {
        ChunkedPrompt result = chunker.chunk("(cat BREAK dog)");
        assertEquals(List.of(chunk(EOS, new int[] {CAT, 2568, DOG}, new float[] {1.1f, (float) -1.1, 1.1f})),
                result.chunks());
    }

    @Test
    void bangPaddingTokenizer() {
        PromptChunker bang = new PromptChunker(tokenizer2);
        ChunkedPrompt result = bang.chunk("a cat!!!");
        assertEquals(List.of(chunk(BANG_PAD, new int[] {A, CAT, 0, 0, 0}, new float[0])), result.chunks());
        assertEquals(List.of(new ChunkSpan(0, 5, Cut.END)), result.spans());
        assertEquals(5, result.tokenCount());
        assertEquals(chunk(BANG_PAD, new int[] {A, CAT, 0}, new float[] {1f, 1.2f, 1.2f}),
                bang.chunk("a (cat!:1.2)").chunks().get(0));
        assertEquals(chunk(BANG_PAD, new int[0], new float[0]), bang.chunk("").chunks().get(0));
    }

    @Test
    void typedEndTokenPadsTheRestOfItsChunk() {
        assertEquals(chunk(EOS, new int[] {A, EOS, CAT}, new float[] {1f, 1f, 1.1f}),
                chunker.chunk("a <|endoftext|> (cat)").chunks().get(0));
        TokenChunk bang = new PromptChunker(tokenizer2).chunk("a <|endoftext|> (cat)").chunks().get(0);
        assertEquals(chunk(BANG_PAD, new int[] {A}, new float[] {1f, 1f, 1.1f}), bang);
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new PromptChunker(tokenizer, -1));
        assertThrows(IllegalArgumentException.class, () -> new PromptChunker(tokenizer, 75));
        assertThrows(IllegalArgumentException.class, () -> chunker.chunk("(a:1.2.3)"));
        assertThrows(IllegalArgumentException.class, () -> new TokenChunk(new int[2], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new ChunkedPrompt(List.of(), List.of(), 0));
    }

    @Test
    void chunksAreImmutable() {
        TokenChunk first = chunker.chunk("cat").chunks().get(0);
        first.ids()[1] = DOG;
        first.weights()[1] = 2f;
        assertEquals(chunk(CAT), first);
    }
}
