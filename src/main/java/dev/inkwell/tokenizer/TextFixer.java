package dev.inkwell.tokenizer;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A port of {@code ftfy.fix_text} (ftfy 6.3) with its default configuration, because HF's
 * {@code CLIPTokenizer} runs every prompt through it and token ids depend on the result.
 *
 * <p>Covered, in ftfy's order and repeated until the text is stable: unescape_html (only when the
 * segment has no {@code <}, i.e. does not look like real HTML), fix_encoding (mojibake repair over
 * ftfy's ten code pages with its badness heuristic, restore_byte_a0, replace_lossy_sequences,
 * decode_inconsistent_utf8, the Latin-1/Windows-1252 fallback), fix_c1_controls,
 * fix_latin_ligatures, fix_character_width, uncurl_quotes, fix_line_breaks, fix_surrogates,
 * remove_terminal_escapes, remove_control_chars and NFC. Text is fixed line by line as ftfy does.
 *
 * <p>Known differences: Unicode properties and normalisation come from the JDK's Unicode version
 * (13.0 for Java 17), so characters assigned later may be classified differently; a valid surrogate
 * pair is already one character in Java, so steps before fix_surrogates see it as such.
 */
public final class TextFixer {

    /** ftfy fixes at most this many characters as one segment, bounding the cost of its heuristics. */
    private static final int MAX_DECODE_LENGTH = 1_000_000;

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\\x{1b}\\[(?:\\p{Nd}|;)*[a-zA-Z]");

    private static final Map<Character, String> LIGATURES = Map.ofEntries(
            Map.entry('Ĳ', "IJ"), Map.entry('ĳ', "ij"),
            Map.entry('ŉ', "ʼn"),
            Map.entry('Ǳ', "DZ"), Map.entry('ǲ', "Dz"), Map.entry('ǳ', "dz"),
            Map.entry('Ǆ', "DŽ"), Map.entry('ǅ', "Dž"), Map.entry('ǆ', "dž"),
            Map.entry('Ǉ', "LJ"), Map.entry('ǈ', "Lj"), Map.entry('ǉ', "lj"),
            Map.entry('Ǌ', "NJ"), Map.entry('ǋ', "Nj"), Map.entry('ǌ', "nj"),
            Map.entry('ﬀ', "ff"), Map.entry('ﬁ', "fi"), Map.entry('ﬂ', "fl"), Map.entry('ﬃ', "ffi"),
            Map.entry('ﬄ', "ffl"), Map.entry('ﬅ', "ſt"), Map.entry('ﬆ', "st"));

    /** Halfwidth and fullwidth forms (U+FF01..U+FFEF) to their NFKC form, plus the ideographic space. */
    private static final Map<Character, String> WIDTH = buildWidthMap();

    private TextFixer() {
    }

    /** {@code ftfy.fix_text(text)} with default settings. */
    public static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true;
        int pos = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos) + 1;
            if (end == 0) {
                end = text.length();
            }
            if (end - pos > MAX_DECODE_LENGTH) {
                end = pos + MAX_DECODE_LENGTH;
                if (Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--;
                }
            }
            String segment = text.substring(pos, end);
            // once one line looks like HTML, ftfy leaves entities alone in the rest of the text too
            unescapeHtml &= segment.indexOf('<') < 0;
            out.append(fixSegment(segment, unescapeHtml));
            pos = end;
        }
        return out.toString();
    }

    /** {@code ftfy.fix_encoding}: only the mojibake repair, e.g. "cafÃ©" becomes "café". */
    public static String fixEncoding(String text) {
        return EncodingFixer.fixEncoding(text);
    }

    /** Decodes HTML entities that end in a semicolon, e.g. {@code &amp;} and {@code &EACUTE;}. */
    public static String unescapeHtml(String text) {
        return HtmlEntities.unescapeUnambiguous(text);
    }

    /** Removes ANSI terminal escapes such as colour codes. */
    public static String removeTerminalEscapes(String text) {
        return ANSI_ESCAPE.matcher(text).replaceAll("");
    }

    /** Replaces C1 control characters with the Windows-1252 characters they stand for. */
    public static String fixC1Controls(String text) {
        return EncodingFixer.fixC1Controls(text);
    }

    /** Splits Latin ligatures and legacy digraphs, e.g. "ﬁ" into "fi". */
    public static String fixLatinLigatures(String text) {
        return translate(text, LIGATURES);
    }

    /** Replaces fullwidth and halfwidth forms with standard-width ones, e.g. "ＡＢＣ" into "ABC". */
    public static String fixCharacterWidth(String text) {
        return translate(text, WIDTH);
    }

    /** Straightens curly quotes: U+02BC and U+2018..U+201B to ', U+201C..U+201F to ". */
    public static String uncurlQuotes(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u02bc' || (c >= '\u2018' && c <= '\u201b')) {
                out.append('\'');
            } else if (c >= '\u201c' && c <= '\u201f') {
                out.append('"');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Turns CRLF, CR, U+2028, U+2029 and U+0085 into "\n". */
    public static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
                .replace('\u2029', '\n').replace('\u0085', '\n');
    }

    /** Replaces unpaired surrogates with U+FFFD (paired ones already form one code point in Java). */
    public static String fixSurrogates(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            out.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /**
     * Removes control characters with no visible effect: C0 controls except tab, LF, FF and CR,
     * DEL, deprecated Arabic format controls, interlinear annotations, U+FFFC and the BOM.
     */
    public static String removeControlChars(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isRemovedControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isRemovedControl(char c) {
        return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
    }

    /** ftfy's fix_and_explain loop for one segment. */
    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String original = text;
            if (unescapeHtml) {
                text = unescapeHtml(text);
            }
            text = fixEncoding(text);
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = removeTerminalEscapes(text);
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(original)) {
                return text;
            }
        }
    }

    private static String translate(String text, Map<Character, String> table) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            String replacement = table.get(text.charAt(i));
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : String.valueOf(text.charAt(i)));
            }
        }
        return out == null ? text : out.toString();
    }

    private static Map<Character, String> buildWidthMap() {
        Map<Character, String> map = new HashMap<>();
        map.put('\u3000', " ");
        for (char c = '\uFF01'; c < '\uFFF0'; c++) {
            String alternate = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC);
            if (!alternate.equals(String.valueOf(c))) {
                map.put(c, alternate);
            }
        }
        return Map.copyOf(map);
    }
}
