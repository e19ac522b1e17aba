package dev.inkwell.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Outputs of CPython 3.11's str.lower() and str.strip(). */
class PythonStringsTest {

    @Test
    void lowerAppliesUnicodeFinalSigmaRule() {
        assertEquals("οδος", PythonStrings.lower("ΟΔΟΣ"));
        assertEquals("σας σ.", PythonStrings.lower("ΣΑΣ Σ."));
        assertEquals("½σ", PythonStrings.lower("½Σ"), "Java's toLowerCase gives ς here");
        assertEquals("a'ς", PythonStrings.lower("A'Σ"), "apostrophe is case-ignorable");
        assertEquals("aσb", PythonStrings.lower("AΣB"));
        assertEquals("ʰσ", PythonStrings.lower("ʰΣ"), "a modifier letter is skipped, nothing cased before");
        assertEquals("i\u0307i", PythonStrings.lower("İI"));
    }

    @Test
    void stripIncludesInformationSeparators() {
        assertEquals("a b", PythonStrings.strip("\u001c\u3000\t a b \u00a0\u001f"));
        assertEquals("\u200ba", PythonStrings.strip("\u200ba"), "ZERO WIDTH SPACE is not whitespace");
    }
}
