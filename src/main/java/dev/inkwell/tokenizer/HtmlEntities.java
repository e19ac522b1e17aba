package dev.inkwell.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references, decoded two ways: {@link #unescape} is Python's {@code html.unescape}
 * (what openai/CLIP applies), {@link #unescapeUnambiguous} is ftfy's {@code unescape_html}, which
 * only decodes references ending in a semicolon, plus upper-cased names such as {@code &EACUTE;}.
 * The named references come from the WHATWG table in {@code html5-entities.json}.
 */
final class HtmlEntities {

    private static final String TABLE = "html5-entities.json";

    // initialised before the tables, whose construction uses unescape()
    private static final Pattern CHARREF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern SEMICOLON_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");

    /** WHATWG names without the ampersand, some also without a semicolon (legacy forms). */
    private static final Map<String, String> HTML5 = loadTable();
    /** ftfy's HTML_ENTITIES: "&name;" to text. */
    private static final Map<String, String> UNAMBIGUOUS = buildUnambiguous();

    private HtmlEntities() {
    }

    /** Python's {@code html.unescape}: HTML5 rules, including legacy references without semicolons. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = CHARREF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replaceCharref(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** ftfy's {@code unescape_html}: decodes only references that cannot be ordinary text. */
    static String unescapeUnambiguous(String text) {
        Matcher m = SEMICOLON_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String entity = m.group();
            String decoded = UNAMBIGUOUS.get(entity);
            if (decoded == null && entity.startsWith("&#")) {
                String unescaped = unescape(entity);
                // keep it when html.unescape decoded only part of it
                decoded = unescaped.indexOf(';') >= 0 ? entity : unescaped;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded == null ? entity : decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replaceCharref(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = stripSemicolon(ref.substring(hex ? 2 : 1));
            return numericCharref(new BigInteger(digits, hex ? 16 : 10));
        }
        String named = HTML5.get(ref);
        if (named != null) {
            return named;
        }
        for (int length = ref.length() - 1; length > 1; length--) {
            named = HTML5.get(ref.substring(0, length));
            if (named != null) {
                return named + ref.substring(length);
            }
        }
        return "&" + ref;
    }

    /** The HTML5 rules for numeric references: Windows-1252 for C1 numbers, U+FFFD for impossible ones. */
    private static String numericCharref(BigInteger number) {
        if (number.compareTo(BigInteger.valueOf(Character.MAX_CODE_POINT)) > 0) {
            return "\uFFFD";
        }
        int cp = number.intValue();
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return "\uFFFD";
        }
        if (cp == 0x0D) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            return EncodingFixer.fixC1Controls(String.valueOf((char) cp));
        }
        boolean invalid = cp <= 0x08 || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
        return invalid ? "" : new String(Character.toChars(cp));
    }

    private static String stripSemicolon(String digits) {
        return digits.endsWith(";") ? digits.substring(0, digits.length() - 1) : digits;
    }

    private static Map<String, String> buildUnambiguous() {
        Map<String, String> entities = new HashMap<>();
        for (Map.Entry<String, String> e : HTML5.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";")) {
                continue;
            }
            entities.put("&" + name, e.getValue());
            // upper-cased names (from case-folding databases) are decoded only when that is unambiguous
            if (name.equals(name.toLowerCase(Locale.ROOT))) {
                String upper = "&" + name.toUpperCase(Locale.ROOT);
                if (unescape(upper).equals(upper)) {
                    entities.put(upper, e.getValue().toUpperCase(Locale.ROOT));
                }
            }
        }
        return Map.copyOf(entities);
    }

    private static Map<String, String> loadTable() {
        try (InputStream in = HtmlEntities.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + TABLE);
            }
            return Map.copyOf(new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + TABLE, e);
        }
    }
}
