package dev.inkwell.tokenizer;

/**
 * Strict UTF-8 decoding of byte strings (chars 0..255), matching Python's decoder: overlong forms,
 * encoded surrogates and code points above U+10FFFF are errors. The "variants" mode adds what
 * ftfy's {@code utf-8-variants} codec accepts: CESU-8 surrogate pairs and Java's {@code C0 80} null.
 */
final class Utf8Bytes {

    private Utf8Bytes() {
    }

    /** @return the decoded text, or null if the bytes are not valid (variant) UTF-8 */
    static String decode(String bytes, boolean variants) {
        StringBuilder out = new StringBuilder(bytes.length());
        int i = 0;
        int n = bytes.length();
        while (i < n) {
            int b0 = bytes.charAt(i);
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            if (variants && b0 == 0xC0 && i + 1 < n && bytes.charAt(i + 1) == 0x80) {
                out.append('\0');
                i += 2;
                continue;
            }
            if (variants && b0 == 0xED && isCesuPair(bytes, i)) {
                int cp = ((bytes.charAt(i + 1) & 0x0F) << 16) + ((bytes.charAt(i + 2) & 0x3F) << 10)
                        + ((bytes.charAt(i + 4) & 0x0F) << 6) + (bytes.charAt(i + 5) & 0x3F) + 0x10000;
                out.appendCodePoint(cp);
                i += 6;
                continue;
            }
            int length;
            int lowest = 0x80;
            int highest = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                length = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                length = 3;
                lowest = b0 == 0xE0 ? 0xA0 : 0x80;
                highest = b0 == 0xED ? 0x9F : 0xBF;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                length = 4;
                lowest = b0 == 0xF0 ? 0x90 : 0x80;
                highest = b0 == 0xF4 ? 0x8F : 0xBF;
            } else {
                return null;
            }
            if (i + length > n) {
                return null;
            }
            int b1 = bytes.charAt(i + 1);
            if (b1 < lowest || b1 > highest) {
                return null;
            }
            int cp = b0 & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int b = bytes.charAt(i + k);
                if (b < 0x80 || b > 0xBF) {
                    return null;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            out.appendCodePoint(cp);
            i += length;
        }
        return out.toString();
    }

    private static boolean isCesuPair(String bytes, int i) {
        return i + 6 <= bytes.length()
                && inRange(bytes.charAt(i + 1), 0xA0, 0xAF)
                && inRange(bytes.charAt(i + 2), 0x80, 0xBF)
                && bytes.charAt(i + 3) == 0xED
                && inRange(bytes.charAt(i + 4), 0xB0, 0xBF)
                && inRange(bytes.charAt(i + 5), 0x80, 0xBF);
    }

    private static boolean inRange(int b, int low, int high) {
        return b >= low && b <= high;
    }
}
