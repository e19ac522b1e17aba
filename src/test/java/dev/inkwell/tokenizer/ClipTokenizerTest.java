package dev.inkwell.tokenizer;

import dev.inkwell.testing.Goldens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour beyond the goldens. Expected ids were computed in Python with ftfy 6.3.1, regex
 * 2022.10.31 and the algorithm of transformers' slow CLIPTokenizer (added-token split, then
 * fix_text / whitespace_clean / lower, pre-tokenise, BPE) and openai/CLIP's SimpleTokenizer.
 */
class ClipTokenizerTest {

    private static ClipTokenizer tokenizer;
    private static ClipTokenizer tokenizer2;

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer"));
        tokenizer2 = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer_2"));
    }

    record Case(String text, int[] hf, int[] hfPadBang, int[] openAi) { }

    static List<Case> cases() {
        return List.of(
                new Case("hello!!! world!", ids(3306, 995, 1002, 256), ids(3306, 0, 0, 0, 1002, 0), ids(3306, 995, 1002, 256)),
                new Case("a <|endoftext|> b", ids(320, 49407, 321), ids(320, 49407, 321), ids(320, 49407, 321)),
                new Case("a<|startoftext|>b<|EndOfText|>c", ids(320, 49406, 321, 49407, 322),
                        ids(320, 49406, 321, 49407, 322), ids(320, 49406, 321, 49407, 322)),
                new Case("fish &amp chips", ids(2759, 261, 6259, 8855), ids(2759, 261, 6259, 8855), ids(2759, 261, 8855)),
                new Case("<b>&amp;</b> &amp;amp;", ids(283, 321, 29, 261, 6259, 26, 34308, 321, 285, 261, 6259, 282, 6259, 282),
                        ids(283, 321, 29, 261, 6259, 26, 34308, 321, 285, 261, 6259, 282, 6259, 282),
                        ids(283, 321, 29, 5, 34308, 321, 285, 261)),
                new Case("cafÃ© crÃ¨me", ids(15304, 1075, 12138, 614), ids(15304, 1075, 12138, 614), ids(15304, 1075, 12138, 614)),
                new Case("â€œquotedâ€\u009d text", ids(257, 27706, 257, 4160), ids(257, 27706, 257, 4160), ids(257, 27706, 257, 4160)),
                new Case("ΟΔΟΣ ½Σ", ids(138, 123, 138, 112, 138, 123, 139, 480, 33613, 139, 481),
                        ids(138, 123, 138, 112, 138, 123, 139, 480, 33613, 139, 481),
                        ids(138, 123, 138, 112, 138, 123, 139, 480, 33613, 139, 481)),
                new Case("it's WE'RE they'll 'ſ", ids(585, 568, 649, 982, 889, 1342, 6, 129, 379),
                        ids(585, 568, 649, 982, 889, 1342, 6, 129, 379), ids(585, 568, 649, 982, 889, 1342, 6, 129, 379)),
                new Case("ＡＢＣ ﬁne", ids(5334, 3797), ids(5334, 3797), ids(5334, 3797)),
                new Case("tab\there\nnew\u3000line", ids(14724, 763, 686, 1148), ids(14724, 763, 686, 1148), ids(14724, 763, 686, 1148)),
                new Case("1024x768!", ids(272, 271, 273, 275, 343, 278, 277, 279, 256),
                        ids(272, 271, 273, 275, 343, 278, 277, 279, 0), ids(272, 271, 273, 275, 343, 278, 277, 279, 256)),
                new Case("x\u0345y", ids(343, 344), ids(343, 344), ids(343, 344)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPythonReference(Case c) {
        assertArrayEquals(c.hf(), tokenizer.encode(c.text()), "tokenizer");
        assertArrayEquals(c.hfPadBang(), tokenizer2.encode(c.text()), "tokenizer_2 (pad '!')");
        assertArrayEquals(c.openAi(), tokenizer.withNormalization(TextNormalization.OPENAI).encode(c.text()), "openai");
    }

    @Test
    void bangIsSplitOffOnlyWhenItIsThePadToken() {
        assertEquals(List.of("<|startoftext|>", "hello</w>", "!!!</w>", "<|endoftext|>"),
                tokenizer.tokenStrings(tokenizer.encode("hello!!!")));
        assertEquals(List.of("<|startoftext|>", "hello</w>", "!", "!", "!", "<|endoftext|>"),
                tokenizer2.tokenStrings(tokenizer2.encode("hello!!!")));
    }

    @Test
    void encodeForModelTruncatesKeepingEndTokenAndPads() {
        String longPrompt = String.join(" ", Collections.nCopies(100, "cat"));
        int[] ids = tokenizer.encodeForModel(longPrompt);
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        assertTrue(IntStream.rangeClosed(1, 75).allMatch(i -> ids[i] == 2368));
        assertEquals(49407, ids[76]);
        assertEquals(102, tokenizer.encode(longPrompt).length);
        assertEquals(100, tokenizer.bpeTokens(longPrompt).size());

        int[] shortIds = tokenizer2.encodeForModel("a cat");
        assertArrayEquals(new int[] {49406, 320, 2368, 49407, 0}, Arrays.copyOf(shortIds, 5));
        assertTrue(IntStream.range(4, 77).allMatch(i -> shortIds[i] == 0));
    }

    @Test
    void exposesVocabularyFacts() {
        assertEquals(49408, tokenizer.vocabSize());
        assertEquals(77, tokenizer.maxLength());
        assertEquals(49406, tokenizer.bosId());
        assertEquals(49407, tokenizer.eosId());
        assertEquals(49407, tokenizer.padId());
        assertEquals(0, tokenizer2.padId());
        assertEquals(OptionalInt.of(2368), tokenizer.idOf("cat</w>"));
        assertEquals(OptionalInt.of(0), tokenizer.idOf("!"));
        assertEquals(OptionalInt.empty(), tokenizer.idOf("not a token"));
        assertEquals("cat</w>", tokenizer.tokenString(2368));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenString(49408));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenString(-1));
        assertEquals(TextNormalization.HUGGING_FACE, tokenizer.normalization());
    }

    @Test
    void decodeReversesBytesAndSkipsSpecialTokens() {
        assertEquals("a photo of a cat", tokenizer.decode(tokenizer.encodeForModel("A  photo of a CAT")));
        assertEquals("café crème 🐱 一只", tokenizer.decode(tokenizer.encode("café crème 🐱 一只")));
    }

    @Test
    void isSafeToShareBetweenThreads() {
        List<String> prompts = IntStream.range(0, 400).mapToObj(i -> "prompt " + i + " of a cat, hyper detailed " + (i % 7)).toList();
        List<List<Integer>> sequential = prompts.stream().map(tokenizer::bpeTokens).toList();
        List<List<Integer>> parallel = prompts.parallelStream().map(tokenizer::bpeTokens).toList();
        assertEquals(sequential, parallel);
    }

    private static int[] ids(int... body) {
        int[] out = new int[body.length + 2];
        out[0] = 49406;
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = 49407;
        return out;
    }
}
