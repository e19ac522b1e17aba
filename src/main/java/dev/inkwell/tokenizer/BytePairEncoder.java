package dev.inkwell.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE: a word's UTF-8 bytes become printable stand-in characters (GPT-2's
 * byte-to-unicode table, so no byte is whitespace or a control character), the last symbol gets
 * {@code </w>}, and merge rules are applied lowest rank first.
 */
final class BytePairEncoder {

    static final String END_OF_WORD = "</w>";

    /** Prompts repeat words constantly; the bound only keeps adversarial input from growing it forever. */
    private static final int CACHE_LIMIT = 100_000;

    private static final char[] BYTE_TO_SYMBOL = new char[256];
    private static final Map<Character, Integer> SYMBOL_TO_BYTE = new HashMap<>();
    /** Byte stand-ins in GPT-2's table order, which is also the order of CLIP's first 256 ids. */
    private static final List<String> ALPHABET;

    static {
        List<Integer> bytes = new ArrayList<>();
        addRange(bytes, '!', '~');
        addRange(bytes, 0xA1, 0xAC);
        addRange(bytes, 0xAE, 0xFF);
        List<Integer> symbols = new ArrayList<>(bytes);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            if (!bytes.contains(b)) {
                bytes.add(b);
                symbols.add(next++);
            }
        }
        List<String> alphabet = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            char symbol = (char) (int) symbols.get(i);
            BYTE_TO_SYMBOL[bytes.get(i)] = symbol;
            SYMBOL_TO_BYTE.put(symbol, bytes.get(i));
            alphabet.add(String.valueOf(symbol));
        }
        ALPHABET = List.copyOf(alphabet);
    }

    private final Map<SymbolPair, Integer> ranks;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    /** @param merges merge rules, highest priority first; a repeated rule keeps its last rank, as in HF */
    BytePairEncoder(List<SymbolPair> merges) {
        Map<SymbolPair, Integer> r = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            r.put(merges.get(i), i);
        }
        this.ranks = Collections.unmodifiableMap(r);
    }

    /** The merge rules in priority order, as {@code merges.txt} lists them. */
    List<SymbolPair> merges() {
        SymbolPair[] ordered = new SymbolPair[ranks.size()];
        ranks.forEach((pair, rank) -> ordered[rank] = pair);
        return List.of(ordered);
    }

    static List<String> alphabet() {
        return ALPHABET;
    }

    /** Maps text to one stand-in character per UTF-8 byte. */
    static String toByteSymbols(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_SYMBOL[utf8[i] & 0xFF];
        }
        return new String(out);
    }

    /** Inverse of {@link #toByteSymbols}; characters outside the byte alphabet are rejected. */
    static byte[] fromByteSymbols(String symbols) {
        byte[] out = new byte[symbols.length()];
        for (int i = 0; i < out.length; i++) {
            Integer b = SYMBOL_TO_BYTE.get(symbols.charAt(i));
            if (b == null) {
                throw new IllegalArgumentException("not a byte-level BPE symbol: U+"
                        + Integer.toHexString(symbols.charAt(i)).toUpperCase());
            }
            out[i] = (byte) (int) b;
        }
        return out;
    }

    /** BPE symbols of one pre-tokenised word already in byte symbols; cached because prompts repeat words. */
    List<String> encode(String word) {
        List<String> cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> result = merge(word);
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, result);
        }
        return result;
    }

    private List<String> merge(String word) {
        List<String> symbols = new ArrayList<>(word.length());
        for (int i = 0; i < word.length() - 1; i++) {
            symbols.add(String.valueOf(word.charAt(i)));
        }
        symbols.add(word.charAt(word.length() - 1) + END_OF_WORD);
        while (symbols.size() > 1) {
            SymbolPair best = null;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                SymbolPair pair = new SymbolPair(symbols.get(i), symbols.get(i + 1));
                Integer rank = ranks.get(pair);
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = pair;
                }
            }
            if (best == null) {
                break;
            }
            symbols = applyMerge(symbols, best);
        }
        return List.copyOf(symbols);
    }

    private static List<String> applyMerge(List<String> symbols, SymbolPair pair) {
        List<String> merged = new ArrayList<>(symbols.size());
        int i = 0;
        while (i < symbols.size()) {
            if (i + 1 < symbols.size() && symbols.get(i).equals(pair.left())
                    && symbols.get(i + 1).equals(pair.right())) {
                merged.add(pair.joined());
                i += 2;
            } else {
                merged.add(symbols.get(i));
                i++;
            }
        }
        return merged;
    }

    private static void addRange(List<Integer> list, int from, int to) {
        for (int b = from; b <= to; b++) {
            list.add(b);
        }
    }
}
