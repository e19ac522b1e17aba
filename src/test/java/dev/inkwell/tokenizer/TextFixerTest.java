package dev.inkwell.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each ftfy fix, with outputs of ftfy 6.3.1 (its docstrings' examples where they still hold). */
class TextFixerTest {

    @Test
    void fixText() {
        assertEquals("✔ No problems", TextFixer.fixText("âœ” No problems"));
        assertEquals("¯\\_(ツ)_/¯", TextFixer.fixText("&macr;\\_(ã\u0083\u0084)_/&macr;"));
        assertEquals("Broken text… it's flubberific!", TextFixer.fixText("Broken text&hellip; it&#x2019;s ﬂubberiﬁc!"));
        assertEquals("LOUD NOISES", TextFixer.fixText("ＬＯＵＤ　ＮＯＩＳＥＳ"));
        assertEquals("\"quoted\"", TextFixer.fixText("â€œquotedâ€\u009d"));
        assertEquals("L'Humanité", TextFixer.fixText("Lâ\u0080\u0099HumanitÃ©"));
        assertEquals("The Mona Lisa doesn't have eyebrows.",
                TextFixer.fixText("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."));
        assertEquals("x\ny\nz\nw\nv…u", TextFixer.fixText("x\r\ny\rz\u2028w\u2029v\u0085u"), "U+0085 is mojibake for …");
        assertEquals("é", TextFixer.fixText("e\u0301"), "NFC");
        assertEquals("", TextFixer.fixText(""));
    }

    @Test
    void unescapeHtmlOnlyWhereTheTextIsNotHtml() {
        assertEquals("café & <tag>", TextFixer.fixText("caf&eacute; &amp; &lt;tag&gt;"));
        assertEquals("<b>&amp;</b>", TextFixer.fixText("<b>&amp;</b>"));
        assertEquals("&\n<b>x</b>\n&amp;", TextFixer.fixText("&amp;\n<b>x</b>\n&amp;"), "from the first '<' on");
        assertEquals("this&not that", TextFixer.fixText("this&not that"));
        assertEquals("ó", TextFixer.fixText("&ATILDE;&SUP3;"), "upper-case entities, then mojibake");
    }

    @Test
    void unescapeHtml() {
        assertEquals("<tag>", TextFixer.unescapeHtml("&lt;tag&gt;"));
        assertEquals("𝒥ohn ℋancock", TextFixer.unescapeHtml("&Jscr;ohn &HilbertSpace;ancock"));
        assertEquals("✓", TextFixer.unescapeHtml("&checkmark;"));
        assertEquals("Pérez", TextFixer.unescapeHtml("P&eacute;rez"));
        assertEquals("PÉREZ", TextFixer.unescapeHtml("P&EACUTE;REZ"));
        assertEquals("BUNDESSTRASSE", TextFixer.unescapeHtml("BUNDESSTRA&SZLIG;E"));
        assertEquals("ñ Ñ Ñ &nTILDE;", TextFixer.unescapeHtml("&ntilde; &Ntilde; &NTILDE; &nTILDE;"));
        assertEquals("AA€&#xZZ;\uFFFD", TextFixer.unescapeHtml("&#x41;&#65;&#128;&#xZZ;&#0;"));
        assertEquals("&amp", TextFixer.unescapeHtml("&amp"));
    }

    @Test
    void fixEncoding() {
        assertEquals("café", TextFixer.fixEncoding("cafÃ©"));
        assertEquals("só", TextFixer.fixEncoding("sÃ³"));
        assertEquals("ó", TextFixer.fixEncoding("Ã³"));
        assertEquals("schön", TextFixer.fixEncoding("schÃ¶n"));
        assertEquals("voilà le travail", TextFixer.fixEncoding("voilÃ le travail"), "restore_byte_a0");
        assertEquals("à la mode", TextFixer.fixEncoding("Ã la mode"));
        assertEquals("“quoted”", TextFixer.fixEncoding("â€œquotedâ€\u009d"));
        assertEquals("“hi”", TextFixer.fixEncoding("\u0093hi\u0094"), "Latin-1 read as Windows-1252");
        assertEquals("&ATILDE;&SUP3;", TextFixer.fixEncoding("&ATILDE;&SUP3;"));
        assertEquals("naïve café", TextFixer.fixEncoding("naïve café"), "correct text is left alone");
    }

    @Test
    void fixC1Controls() {
        assertEquals("€ \u0081", TextFixer.fixC1Controls("\u0080 \u0081"));
    }

    @Test
    void fixLatinLigatures() {
        assertEquals("fluffiest", TextFixer.fixLatinLigatures("ﬂuﬃeﬆ"));
        assertEquals("IJDžʼnſtÆ", TextFixer.fixLatinLigatures("ĲǅŉﬅÆ"));
    }

    @Test
    void fixCharacterWidth() {
        assertEquals("LOUD NOISES", TextFixer.fixCharacterWidth("ＬＯＵＤ　ＮＯＩＳＥＳ"));
        assertEquals("Uターン", TextFixer.fixCharacterWidth("Ｕﾀｰﾝ"));
        assertEquals("ABC", TextFixer.fixCharacterWidth("ＡＢＣ"));
    }

    @Test
    void uncurlQuotes() {
        assertEquals("\"here's a test\"", TextFixer.uncurlQuotes("\u201chere\u2019s a test\u201d"));
        assertEquals("'x'y\"z", TextFixer.uncurlQuotes("\u02bcx\u201by\u201fz"));
    }

    @Test
    void fixLineBreaks() {
        assertEquals("a\nb\nc\nd\ne\nf", TextFixer.fixLineBreaks("a\r\nb\rc\u2028d\u2029e\u0085f"));
    }

    @Test
    void fixSurrogates() {
        assertEquals("💩", TextFixer.fixSurrogates("\ud83d\udca9"));
        assertEquals("\uFFFD\uFFFD", TextFixer.fixSurrogates("\udca9\ud83d"));
    }

    @Test
    void removeTerminalEscapes() {
        assertEquals("I'm blue, da ba dee da ba doo...",
                TextFixer.removeTerminalEscapes("\u001b[36;44mI'm blue, da ba dee da ba doo...\u001b[0m"));
    }

    @Test
    void removeControlChars() {
        assertEquals("abcdefgh\tx\ny\rz\f",
                TextFixer.removeControlChars("a\u0000b\u0007c\u000bd\u007fe\ufefff\u206ag\ufffch\tx\ny\rz\f"));
    }
}
