package dev.inkwell.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AUTOMATIC1111's {@code parse_prompt_attention}: its doctests, then cases whose expected values were
 * computed by running that function in Python 3.11.
 */
class PromptAttentionTest {

    private static WeightedText w(String text, double weight) {
        return new WeightedText(text, weight);
    }

    private static final WeightedText BREAK = WeightedText.BREAK;

    @Test
    void doctestNormalText() {
        assertEquals(List.of(w("normal text", 1.0)), PromptAttention.parse("normal text"));
    }

    @Test
    void doctestImportantWord() {
        assertEquals(List.of(w("an ", 1.0), w("important", 1.1), w(" word", 1.0)),
                PromptAttention.parse("an (important) word"));
    }

    @Test
    void doctestUnbalanced() {
        assertEquals(List.of(w("unbalanced", 1.1)), PromptAttention.parse("(unbalanced"));
    }

    @Test
    void doctestLiteral() {
        assertEquals(List.of(w("(literal]", 1.0)), PromptAttention.parse("\\(literal\\]"));
    }

    @Test
    void doctestUnnecessaryParens() {
        assertEquals(List.of(w("unnecessaryparens", 1.1)), PromptAttention.parse("(unnecessary)(parens)"));
    }

    @Test
    void doctestNested() {
        assertEquals(List.of(
                        w("a ", 1.0),
                        w("house", 1.5730000000000004),
                        w(" ", 1.1),
                        w("on", 1.0),
                        w(" a ", 1.1),
                        w("hill", 0.55),
                        w(", sun, ", 1.1),
                        w("sky", 1.4641000000000006),
                        w(".", 1.1)),
                PromptAttention.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky)))."));
    }

    @Test
    void emptyPromptIsOneEmptyRun() {
        assertEquals(List.of(w("", 1.0)), PromptAttention.parse(""));
        // brackets around nothing leave nothing to weigh
        assertEquals(List.of(w("", 1.0)), PromptAttention.parse("()"));
    }

    @Test
    void nestingAndSquareBrackets() {
        assertEquals(List.of(w("a", 1.2100000000000002)), PromptAttention.parse("((a))"));
        assertEquals(List.of(w("a", 0.9090909090909091)), PromptAttention.parse("[a]"));
        assertEquals(List.of(w("a", 0.8264462809917354)), PromptAttention.parse("[[a]]"));
        assertEquals(List.of(w("a ", 1.0), w("red", 1.5), w(" fox", 1.0)), PromptAttention.parse("a (red:1.5) fox"));
        assertEquals(List.of(w("a", 1.6500000000000001)), PromptAttention.parse("((a:1.5))"));
    }

    @Test
    void strayClosersAndColonsAreText() {
        assertEquals(List.of(w("a) b] c", 1.0)), PromptAttention.parse("a) b] c"));
        assertEquals(List.of(w("a:b", 1.0)), PromptAttention.parse("a:b"));
        assertEquals(List.of(w("a:1.5) b", 1.0)), PromptAttention.parse("a:1.5) b"));
        // ":1.5)" closes only round brackets: inside [ ] it is text
        assertEquals(List.of(w("a:1.5)", 0.9090909090909091)), PromptAttention.parse("[a:1.5)]"));
        assertEquals(List.of(w("a:1.5", 0.9090909090909091)), PromptAttention.parse("[a:1.5]"));
    }

    @Test
    void unclosedOpenersApplyToTheRest() {
        assertEquals(List.of(w("a ", 1.0), w("b c", 0.9090909090909091)), PromptAttention.parse("a [b c"));
        assertEquals(List.of(w("a:1.5", 1.1)), PromptAttention.parse("(a:1.5"));
        // 1.1 * (1 / 1.1) is exactly 1.0, so the runs merge
        assertEquals(List.of(w("ab", 1.0)), PromptAttention.parse("a[(b"));
    }

    @Test
    void weightSyntax() {
        assertEquals(List.of(w("a", 1.5)), PromptAttention.parse("(a: 1.5 )"));
        assertEquals(List.of(w("a", 0.5)), PromptAttention.parse("(a:.5)"));
        assertEquals(List.of(w("a", 2.0)), PromptAttention.parse("(a:2.)"));
        assertEquals(List.of(w("a", -1.0)), PromptAttention.parse("(a:-1)"));
        assertEquals(List.of(w("a", 1.0)), PromptAttention.parse("(a:+1)"));
        assertEquals(List.of(w("a", 1.5)), PromptAttention.parse("(a:\u0661.\u0665)"));
        // "1.5x" is not a number, so ":" is text and ")" closes with 1.1
        assertEquals(List.of(w("a:1.5x", 1.1)), PromptAttention.parse("(a:1.5x)"));
    }

    @Test
    void zeroAndNegativeZeroMerge() {
        assertEquals(List.of(w("ab", 0.0)), PromptAttention.parse("(a:0)(b:-0)"));
    }

    @Test
    void numberPythonCannotParseIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptAttention.parse("(a:1.2.3)"));
        assertTrue(e.getMessage().contains("'1.2.3'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PromptAttention.parse("(a:.)"));
        // without an open "(" the same text is literal, as in A1111
        assertEquals(List.of(w("a:1.2.3)", 1.0)), PromptAttention.parse("a:1.2.3)"));
    }

    @Test
    void escapes() {
        assertEquals(List.of(w("(a) [b] \\", 1.0)), PromptAttention.parse("\\(a\\) \\[b\\] \\\\"));
        // a backslash before anything else is dropped
        assertEquals(List.of(w("ab", 1.0)), PromptAttention.parse("a\\b"));
        assertEquals(List.of(w("(x)", 1.1)), PromptAttention.parse("(\\(x\\))"));
    }

    @Test
    void breakIsAMarkerWithItsWhitespaceRemoved() {
        assertEquals(List.of(w("a", 1.0), BREAK, w("b", 1.0)), PromptAttention.parse("a BREAK b"));
        assertEquals(List.of(w("a", 1.0), BREAK, w("b", 1.0)), PromptAttention.parse("a\n BREAK\t\nb"));
        // Python's \s includes the separators U+001C..U+001F
        assertEquals(List.of(w("a", 1.0), BREAK, w("b", 1.0)), PromptAttention.parse("a\u001cBREAK\u001cb"));
        assertEquals(List.of(w("", 1.0), BREAK, w("b", 1.0)), PromptAttention.parse("BREAK b"));
        assertEquals(List.of(w("a", 1.0), BREAK, w("", 1.0)), PromptAttention.parse("a BREAK"));
        assertEquals(List.of(w("", 1.0), BREAK, w("", 1.0)), PromptAttention.parse("BREAK"));
        assertEquals(List.of(w("a", 1.0), BREAK, w("", 1.0), BREAK, w("b", 1.0)),
                PromptAttention.parse("a BREAK BREAK b"));
        assertEquals(List.of(w("a,", 1.0), BREAK, w(",b", 1.0)), PromptAttention.parse("a,BREAK,b"));
    }

    @Test
    void breakNeedsWordBoundariesAndCapitals() {
        assertEquals(List.of(w("aBREAK b_BREAK BREAKs break Break", 1.0)),
                PromptAttention.parse("aBREAK b_BREAK BREAKs break Break"));
        assertEquals(List.of(w("\u00e9BREAK", 1.0)), PromptAttention.parse("\u00e9BREAK"));
        assertEquals(List.of(w("a\u00b2BREAK", 1.0)), PromptAttention.parse("a\u00b2BREAK"));
    }

    @Test
    void breakNextToBrackets() {
        assertEquals(List.of(w("a", 1.1), w("", 1.0), BREAK, w("b", 1.0)), PromptAttention.parse("(a)BREAK b"));
        assertEquals(List.of(w("a ", 1.0), w("b", 1.1), w("", 1.0), BREAK, w("c", 1.0)),
                PromptAttention.parse("a (b) BREAK c"));
    }

    @Test
    void breakInsideBracketsIsWeightedText() {
        List<WeightedText> parsed = PromptAttention.parse("(a BREAK b)");
        assertEquals(List.of(w("a", 1.1), w("BREAK", -1.1), w("b", 1.1)), parsed);
        assertFalse(parsed.get(1).isBreak());
        assertTrue(PromptAttention.parse("(a BREAK b:1)").get(1).isBreak());
        // merged runs that spell BREAK with weight -1 are a BREAK to A1111's chunker too
        assertEquals(List.of(w("BREAK", -1.0)), PromptAttention.parse("(BRE:-1)(AK:-1)"));
        assertTrue(PromptAttention.parse("(BRE:-1)(AK:-1)").get(0).isBreak());
    }
}
