package dev.inkwell.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;

/**
 * A single-byte code page as ftfy uses it to undo mojibake. "Sloppy" variants (ftfy's
 * {@code sloppy-windows-125x}) pass unassigned bytes through as Latin-1 and encode U+FFFD as byte
 * 0x1A, so text that went through a lossy decoder can still be re-encoded.
 *
 * <p>Byte strings are Java strings whose chars are all in 0..255, so the byte-level regexes of
 * ftfy can run on them with {@link java.util.regex.Pattern}.
 */
final class SingleByteEncoding {

    private static final char REPLACEMENT = '\uFFFD';

    private final boolean sloppy;
    private final char[] byteToChar = new char[256];
    private final Map<Character, Character> charToByte = new HashMap<>();

    private SingleByteEncoding(String javaCharset, boolean sloppy) {
        this.sloppy = sloppy;
        CharsetDecoder decoder = Charset.forName(javaCharset).newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(REPLACEMENT));
        for (int b = 0; b < 256; b++) {
            char c = decodeOne(decoder, b);
            if (sloppy && c == REPLACEMENT) {
                c = (char) b;
            }
            byteToChar[b] = c;
        }
        if (sloppy) {
            byteToChar[0x1A] = REPLACEMENT;
        }
        for (int b = 0; b < 256; b++) {
            if (byteToChar[b] != REPLACEMENT || sloppy) {
                charToByte.put(byteToChar[b], (char) b);
            }
        }
    }

    /** The JDK code page as is; its tables match Python's codecs of the same name. */
    static SingleByteEncoding of(String javaCharset) {
        return new SingleByteEncoding(javaCharset, false);
    }

    /** ftfy's sloppy variant of a JDK code page. */
    static SingleByteEncoding sloppy(String javaCharset) {
        return new SingleByteEncoding(javaCharset, true);
    }

    boolean isSloppy() {
        return sloppy;
    }

    /** The byte string for {@code text}, or null when some character has no byte in this code page. */
    String encode(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < out.length; i++) {
            Character b = charToByte.get(text.charAt(i));
            if (b == null) {
                return null;
            }
            out[i] = b;
        }
        return new String(out);
    }

    char decode(int b) {
        return byteToChar[b];
    }

    /** Decodes a byte string, or returns null when a byte is unassigned (Python's strict decoding). */
    String decodeStrict(String bytes) {
        char[] out = new char[bytes.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byteToChar[bytes.charAt(i)];
            if (out[i] == REPLACEMENT) {
                return null;
            }
        }
        return new String(out);
    }

    private static char decodeOne(CharsetDecoder decoder, int b) {
        try {
            decoder.reset();
            return decoder.decode(ByteBuffer.wrap(new byte[] {(byte) b})).charAt(0);
        } catch (CharacterCodingException e) {
            return REPLACEMENT;
        }
    }
}
