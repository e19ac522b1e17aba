package dev.inkwell.tokenizer;

import java.util.Set;
import java.util.regex.Pattern;

/** Python's {@code str.lower()} and {@code str.strip()}, whose details differ from Java's. */
final class PythonStrings {

    private static final int CAPITAL_SIGMA = 0x03A3;
    private static final Pattern WHITE_SPACE = Pattern.compile("\\p{IsWhite_Space}");
    /** Characters that are case-ignorable through their Word_Break value (MidLetter, MidNumLet, Single_Quote). */
    private static final Set<Integer> WORD_BREAK_IGNORABLE = Set.of(0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4,
            0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A);

    private PythonStrings() {
    }

    /**
     * Full lower-casing as Python does it. Java's {@code toLowerCase} decides final sigma with word
     * boundaries; Python uses Unicode's rule (a cased letter before, none after, skipping
     * case-ignorable characters), which changes ids for text like "½Σ".
     */
    static String lower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                out.append(isFinalSigma(text, i) ? 'ς' : 'σ');
            } else if (cp == 'İ') {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** Python's {@code str.strip()}: White_Space plus the separators U+001C..U+001F. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return (c >= 0x1C && c <= 0x1F) || WHITE_SPACE.matcher(String.valueOf(c)).matches();
    }

    private static boolean isFinalSigma(String text, int index) {
        int before = index;
        int cp = -1;
        while (before > 0) {
            cp = text.codePointBefore(before);
            before -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                break;
            }
            cp = -1;
        }
        if (cp < 0 || !isCased(cp)) {
            return false;
        }
        for (int after = index + 1; after < text.length(); ) {
            cp = text.codePointAt(after);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
            after += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    private static boolean isCaseIgnorable(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.MODIFIER_LETTER || type == Character.MODIFIER_SYMBOL
                || WORD_BREAK_IGNORABLE.contains(cp);
    }
}
