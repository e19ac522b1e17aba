package dev.inkwell.tokenizer;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy's {@code fix_encoding} with its default options: undo mojibake by re-encoding text in the
 * single-byte code page it was wrongly decoded with and decoding the bytes as UTF-8, one layer per
 * step until nothing changes. It only acts on text that {@link MojibakePatterns#isBad looks bad},
 * and includes ftfy's sub-fixes restore_byte_a0, replace_lossy_sequences, decode_inconsistent_utf8
 * and the Latin-1/Windows-1252 and C1-control fallbacks.
 */
final class EncodingFixer {

    private static final SingleByteEncoding LATIN_1 = SingleByteEncoding.of("ISO-8859-1");
    private static final SingleByteEncoding MAC_ROMAN = SingleByteEncoding.of("x-MacRoman");
    private static final SingleByteEncoding SLOPPY_1252 = SingleByteEncoding.sloppy("windows-1252");
    private static final SingleByteEncoding STRICT_1252 = SingleByteEncoding.of("windows-1252");

    /** ftfy's CHARMAP_ENCODINGS, in the order they are tried. */
    private static final List<SingleByteEncoding> ENCODINGS = List.of(
            LATIN_1,
            SLOPPY_1252,
            SingleByteEncoding.sloppy("windows-1251"),
            SingleByteEncoding.sloppy("windows-1250"),
            SingleByteEncoding.sloppy("windows-1253"),
            SingleByteEncoding.sloppy("windows-1254"),
            SingleByteEncoding.sloppy("windows-1257"),
            SingleByteEncoding.of("ISO-8859-2"),
            MAC_ROMAN,
            SingleByteEncoding.of("IBM437"));

    /**
     * UTF-8 sequences that would be valid if a byte A0 had not been turned into a space (byte
     * regex over a byte string). Lead bytes are limited to those that give likely characters.
     */
    private static final Pattern ALTERED_UTF8 = Pattern.compile(
            "[\\xc2\\xc3\\xc5\\xce\\xd0\\xd9] "
                    + "|[\\xe2\\xe3] [\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf]"
                    + "|[\\xe0-\\xe3][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf] "
                    + "|\\xf0 [\\x80-\\xbf][\\x80-\\xbf]"
                    + "|\\xf0[\\x80-\\xbf] [\\x80-\\xbf]"
                    + "|\\xf0[\\x80-\\xbf][\\x80-\\xbf] ");

    /** "Ã " as a whole word is usually "à" whose A0 became a space; the exceptions are Portuguese words. */
    private static final Pattern A_GRAVE_WORD = Pattern.compile("\\xc3 (?! |quele|quela|quilo|s )");

    /**
     * UTF-8 (and CESU-8) sequences whose continuation bytes were lost: byte 1A is what the sloppy
     * code pages encode U+FFFD as, and '?' is accepted at most once per sequence.
     */
    private static final Pattern LOSSY_UTF8 = Pattern.compile(
            "[\\xc2-\\xdf]\\x1a"
                    + "|[\\xc2-\\xc3]\\?"
                    + "|\\xed[\\xa0-\\xaf][\\x1a?]\\xed[\\xb0-\\xbf][\\x1a?\\x80-\\xbf]"
                    + "|\\xed[\\xa0-\\xaf][\\x1a?\\x80-\\xbf]\\xed[\\xb0-\\xbf][\\x1a?]"
                    + "|[\\xe0-\\xef][\\x1a?][\\x1a\\x80-\\xbf]"
                    + "|[\\xe0-\\xef][\\x1a\\x80-\\xbf][\\x1a?]"
                    + "|[\\xf0-\\xf4][\\x1a?][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf]"
                    + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a?][\\x1a\\x80-\\xbf]"
                    + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf][\\x1a?]"
                    + "|\\x1a");

    /** U+FFFD as a UTF-8 byte string. */
    private static final String REPLACEMENT_BYTES = "\u00ef\u00bf\u00bd";

    private static final Pattern C1_CONTROL = Pattern.compile("[\\x80-\\x9f]");

    private EncodingFixer() {
    }

    /** ftfy.fix_encoding: repeat single fixing steps until the text stops changing. */
    static String fixEncoding(String text) {
        while (true) {
            String fixed = fixOneStep(text);
            if (fixed.equals(text)) {
                return fixed;
            }
            text = fixed;
        }
    }

    /** ftfy.fixes.fix_c1_controls: remaining C1 controls become their Windows-1252 characters, as browsers do. */
    static String fixC1Controls(String text) {
        return replaceAll(C1_CONTROL.matcher(text), m -> String.valueOf(SLOPPY_1252.decode(m.group().charAt(0))));
    }

    private static String fixOneStep(String text) {
        if (text.isEmpty() || isAscii(text) || !MojibakePatterns.isBad(text)) {
            return text;
        }
        boolean latin1Possible = false;
        for (SingleByteEncoding encoding : ENCODINGS) {
            String bytes = encoding.encode(text);
            if (bytes == null) {
                continue;
            }
            latin1Possible |= encoding == LATIN_1;
            if (encoding != MAC_ROMAN && ALTERED_UTF8.matcher(bytes).find()) {
                bytes = restoreByteA0(bytes);
            }
            if (encoding.isSloppy()) {
                bytes = LOSSY_UTF8.matcher(bytes).replaceAll(REPLACEMENT_BYTES);
            }
            boolean variants = bytes.indexOf(0xED) >= 0 || bytes.indexOf(0xC0) >= 0;
            String decoded = Utf8Bytes.decode(bytes, variants);
            if (decoded != null) {
                return decoded;
            }
        }
        if (MojibakePatterns.UTF8_DETECTOR.matcher(text).find()) {
            String fixed = decodeInconsistentUtf8(text);
            if (!fixed.equals(text)) {
                return fixed;
            }
        }
        // ftfy checks for "windows-1252" among the possible encodings, but only the sloppy variant is
        // ever listed, so Latin-1 text is always retried as strict Windows-1252 here.
        if (latin1Possible) {
            String fixed = STRICT_1252.decodeStrict(LATIN_1.encode(text));
            if (fixed != null && !fixed.equals(text)) {
                return fixed;
            }
        }
        if (C1_CONTROL.matcher(text).find()) {
            return fixC1Controls(text);
        }
        return text;
    }

    /** Puts back bytes A0 that became spaces inside otherwise valid-looking UTF-8 sequences. */
    private static String restoreByteA0(String bytes) {
        String aGrave = A_GRAVE_WORD.matcher(bytes).replaceAll("\u00c3\u00a0 ");
        return replaceAll(ALTERED_UTF8.matcher(aGrave), m -> m.group().replace(' ', '\u00a0'));
    }

    /** Fixes mojibake runs embedded in otherwise different text, one run at a time. */
    private static String decodeInconsistentUtf8(String text) {
        return replaceAll(MojibakePatterns.UTF8_DETECTOR.matcher(text), m -> {
            String run = m.group();
            return run.length() < text.length() && MojibakePatterns.isBad(run) ? fixEncoding(run) : run;
        });
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String replaceAll(Matcher matcher, Function<Matcher, String> replacement) {
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
