package dev.inkwell.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BytePairEncoderTest {

    @Test
    void byteAlphabetIsGpt2sTable() {
        List<String> alphabet = BytePairEncoder.alphabet();
        assertEquals(256, new HashSet<>(alphabet).size());
        assertEquals("!", alphabet.get(0));
        assertEquals("~", alphabet.get(93));
        assertEquals("¡", alphabet.get(94));
        assertEquals("Ā", alphabet.get(188), "byte 0 is the first byte without a printable stand-in");
        assertEquals("Ġ", BytePairEncoder.toByteSymbols(" "));
        assertEquals("cafÃ©", BytePairEncoder.toByteSymbols("café"));
    }

    @Test
    void byteSymbolsRoundTrip() {
        String text = "a cat 🐱 ünïcödé\n\t";
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8),
                BytePairEncoder.fromByteSymbols(BytePairEncoder.toByteSymbols(text)));
        assertThrows(IllegalArgumentException.class, () -> BytePairEncoder.fromByteSymbols(" "));
    }

    @Test
    void appliesLowestRankFirstAndMarksWordEnd() {
        BytePairEncoder bpe = new BytePairEncoder(List.of(
                new SymbolPair("a", "b"), new SymbolPair("b", "c</w>"), new SymbolPair("ab", "c</w>")));
        assertEquals(List.of("abc</w>"), bpe.encode("abc"));
        assertEquals(List.of("ab", "a", "b</w>"), bpe.encode("abab"), "the rule for b does not apply to b</w>");
        assertEquals(List.of("x</w>"), bpe.encode("x"));
        assertEquals(List.of("c", "b", "a</w>"), bpe.encode("cba"));
    }
}
