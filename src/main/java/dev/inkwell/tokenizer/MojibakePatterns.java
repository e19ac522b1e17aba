package dev.inkwell.tokenizer;

import java.util.regex.Pattern;

/**
 * ftfy 6's character tables and the two regexes built from them: {@link #BADNESS} spots unlikely
 * juxtapositions of the ~400 characters that UTF-8 mojibake produces (ftfy's {@code is_bad}), and
 * {@link #UTF8_DETECTOR} finds runs that look like UTF-8 read in a single-byte code page. The tables
 * are ftfy's (Apache-2.0, Robyn Speer), transcribed as regex character-class bodies.
 */
final class MojibakePatterns {

    // MOJIBAKE_CATEGORIES of ftfy.badness
    private static final String COMMON = "\\x{a0}\\x{ad}·´–—―…’";
    private static final String C1 = "\\x{80}-\\x{9f}";
    private static final String BAD = "¦¤¨¬¯¸ƒˆˇ˘˛˜†‡‰⌐◊\\x{fffd}ªº";
    private static final String LAW = "¶§";
    private static final String CURRENCY = "¢£¥₧€";
    private static final String START_PUNCTUATION = "¡«¿©΄΅‘‚“„•‹\\x{f8ff}";
    private static final String END_PUNCTUATION = "®»˝”›™";
    private static final String NUMERIC = "²³¹±¼½¾×µ÷⁄∂∆∏∑√∞∩∫≈≠≡≤≥№";
    private static final String KAOMOJI = "Ò-ÖÙ-Üò-öø-üŐŌŪŲ°";
    private static final String UPPER_ACCENTED = "À-ÑØÜÝĂĀĄĆČĎĐĘĚĒĖĞĢİĪĶĹĽŁĻŃŇŅŒŘŚŞŠŢŤŮŰŸŹŻŽҐ";
    private static final String LOWER_ACCENTED = "ßà-ñăąāćčďđęěēėğģįīķĺľłļœŕśşšťüźżžґﬁﬂ";
    private static final String UPPER_COMMON = "ÞΑ-ΩΆΈΉΊΌΎΏΪΫЁ-Я";
    private static final String LOWER_COMMON = "α-ωάέήίΰа-џ";
    private static final String BOX = "│┌┐┘├┤┬┼═-╬▀▄█▌▐░▒▓";

    // UTF8_CLUES of ftfy.chardata
    private static final String FIRST_OF_2 = "ĂÂÄĀÅÃÆĆČÇĎĐÉĚÊËĖÈĒĘÐĞĢÍÎÏİÌĪĶĹĻŁŃŇŅÑÓÔÖŐÒŌØÕŘŚŠŞŢÞÚÛÜŰÙŪŲŮÝŹŽŻß×"
            + "ΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΪΫάέήίВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
    private static final String FIRST_OF_3 = "áăâäàāąåãæćčçďéěêëėèēęęģíîïìīįķĺļŕźΰαβγδεζηθικλμνξοабвгдежзийклмноп";
    private static final String FIRST_OF_4 = "đðğóšπσру";
    private static final String CONTINUATION_STRICT = "\\x{80}-¿ĄÆĽŁØŖŚŠŞŤŸŹŽŻŒąæƒľłøŗśšşťźžżœˆˇ˘˛˜˝΄΅ΆΈΉΊΌΎΏ"
            + "ЁЂЃЄЅІЇЈЉЊЋЌЎЏёђѓєѕіїјљњћќўџҐґ†‡‰‹›€№™";
    /** The strict set plus a space (standing for U+A0), dashes, quotes, bullet and ellipsis. */
    private static final String CONTINUATION = CONTINUATION_STRICT + "\\x{20}–—―‘’‚“”„•…";

    /** Python's {@code \s} in str patterns: {@code str.isspace()}, which adds U+1C..U+1F to White_Space. */
    private static final String PY_SPACE = "[\\x{1c}-\\x{1f}\\p{IsWhite_Space}]";
    /** Python's {@code \w} in str patterns: letters, numbers and underscore. */
    private static final String PY_WORD = "[\\p{L}\\p{N}_]";

    static final Pattern BADNESS = Pattern.compile(String.join("|",
            set(C1),
            set(BAD, LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, NUMERIC, LAW)
                    + set(BAD),
            "[a-zA-Z]" + set(LOWER_COMMON, UPPER_COMMON) + set(BAD),
            set(BAD)
                    + set(LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, NUMERIC, LAW),
            set(LOWER_ACCENTED, LOWER_COMMON, BOX, END_PUNCTUATION, CURRENCY, NUMERIC) + set(UPPER_ACCENTED),
            set(BOX, END_PUNCTUATION, CURRENCY, NUMERIC) + set(LOWER_ACCENTED),
            set(LOWER_ACCENTED, BOX, END_PUNCTUATION) + set(CURRENCY),
            PY_SPACE + set(UPPER_ACCENTED) + set(CURRENCY),
            set(UPPER_ACCENTED, BOX) + set(NUMERIC, LAW),
            set(LOWER_ACCENTED, UPPER_ACCENTED, BOX, CURRENCY, END_PUNCTUATION) + set(START_PUNCTUATION) + set(NUMERIC),
            set(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, BOX, LAW) + set(END_PUNCTUATION)
                    + set(START_PUNCTUATION),
            set(CURRENCY, NUMERIC, BOX) + set(START_PUNCTUATION),
            "[a-z]" + set(UPPER_ACCENTED) + set(START_PUNCTUATION, CURRENCY),
            set(BOX) + set(KAOMOJI),
            set(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, START_PUNCTUATION, END_PUNCTUATION, LAW) + set(BOX),
            set(BOX) + set(END_PUNCTUATION),
            set(LOWER_ACCENTED, UPPER_ACCENTED) + set(START_PUNCTUATION, END_PUNCTUATION) + PY_WORD,
            // the ligature œ when not followed by an unaccented Latin letter
            "[Œœ][^A-Za-z]",
            // degree signs after capital letters
            set(UPPER_ACCENTED) + "°",
            // common Windows-1252 2-character mojibake not covered above
            "[ÂÃÎÐ]" + set("€œŠš¢£Ÿž\\x{a0}\\x{ad}®©°·»", START_PUNCTUATION, END_PUNCTUATION, "–—´"),
            "×[²³]",
            // Windows-1252 mojibake of Arabic words: four characters, since 'common' ones take part
            "[ØÙ]" + set(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "ŸŠ®°µ»")
                    + "[ØÙ]" + set(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "ŸŠ®°µ»"),
            // Windows-1252 mojibake starting 3-character sequences of some South Asian scripts
            "à[²µ¹¼½¾]",
            // MacRoman mojibake not covered above
            "√[±∂†≠®™´≤≥¥µø]",
            "≈[°¢]",
            "‚Ä[ìîïòôúùû†°¢π]",
            "‚[âó][àä°ê]",
            // Windows-1251 mojibake of characters in the U+2000 range
            "вЂ",
            // Windows-1251 mojibake of Latin-1 characters and/or Cyrillic
            "[ВГРС]" + set(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "°µ") + "[ВГРС]",
            "ГўВЂВ[^\\n][A-Za-z ]",
            // Windows-1252 encodings of 'à' and 'á', and of U+A0 itself
            "Ã[\\x{a0}¡]",
            "[a-z]" + PY_SPACE + "?[ÃÂ] ",
            "^[ÃÂ] ",
            // Â before a character, as an encoding of exactly that common character
            set("a-z.,?!", END_PUNCTUATION) + "Â" + set(" ", START_PUNCTUATION, END_PUNCTUATION),
            // Windows-1253 mojibake of characters in the U+2000 range
            "β€[™\\x{a0}Ά\\x{ad}®°]",
            // Windows-1253 mojibake of Latin-1 characters and/or Greek
            "[ΒΓΞΟ]" + set(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "°") + "[ΒΓΞΟ]",
            // Windows-1257 mojibake of characters in the U+2000 range
            "ā€"));

    /**
     * Runs of likely UTF-8 mojibake; the look-behind keeps it from fixing a few characters in the
     * middle of a larger garble, which would make things worse.
     */
    static final Pattern UTF8_DETECTOR = Pattern.compile(
            "(?<!" + set(CONTINUATION_STRICT) + ")(?:"
                    + set(FIRST_OF_2) + set(CONTINUATION)
                    + "|" + set(FIRST_OF_3) + set(CONTINUATION) + "{2}"
                    + "|" + set(FIRST_OF_4) + set(CONTINUATION) + "{3})+");

    private MojibakePatterns() {
    }

    /** ftfy's {@code is_bad}: whether the text contains at least one mojibake-looking sequence. */
    static boolean isBad(String text) {
        return mayBeBad(text) && BADNESS.matcher(text).find();
    }

    /**
     * Every branch of {@link #BADNESS} needs a non-ASCII character that the tables name, and all of
     * those lie in U+0080..U+25FF or are U+F8FF, U+FB01, U+FB02, U+FFFD. Checking that first spares
     * the slow ~40-branch regex for text such as CJK or emoji prompts.
     */
    private static boolean mayBeBad(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x80 && c <= 0x25FF) || c == 0xF8FF || c == 0xFB01 || c == 0xFB02 || c == 0xFFFD) {
                return true;
            }
        }
        return false;
    }

    private static String set(String... parts) {
        return "[" + String.join("", parts) + "]";
    }
}
