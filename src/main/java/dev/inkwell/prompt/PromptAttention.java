package dev.inkwell.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AUTOMATIC1111's attention syntax ({@code modules/prompt_parser.py}, {@code parse_prompt_attention}),
 * reproduced exactly so that prompts written for the web UI weight the same tokens by the same
 * amounts:
 *
 * <ul>
 *   <li>{@code (text)} multiplies by 1.1, {@code [text]} by 1/1.1, {@code (text:1.5)} by 1.5
 *       (spaces allowed around the number); nesting multiplies.</li>
 *   <li>{@code \(}, {@code \)}, {@code \[}, {@code \]} and {@code \\} are literal characters; a
 *       backslash before anything else is dropped.</li>
 *   <li>An unclosed {@code (} or {@code [} applies its multiplier to the rest of the prompt; a
 *       {@code )} or {@code ]} without an opener, and {@code :1.5)} without an open {@code (}, are
 *       literal text.</li>
 *   <li>The word {@code BREAK} (with the whitespace around it) becomes {@link WeightedText#BREAK}.</li>
 *   <li>Adjacent runs with equal weights are merged; an empty prompt gives one empty run of weight 1.</li>
 * </ul>
 *
 * <p>Python's {@code \s}, {@code \d} and {@code \b} are spelled out with Python's definitions, using
 * the JDK's Unicode tables for letters and digits.
 */
public final class PromptAttention {

    /** Python's {@code str.isspace()}: Unicode White_Space plus the separators U+001C..U+001F. */
    private static final String SPACE = "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A"
            + "\\u2028\\u2029\\u202F\\u205F\\u3000]";
    /** Python's {@code \w}: letters, numbers and underscore. */
    private static final String WORD = "[\\p{L}\\p{N}_]";
    /** A1111's {@code re_attention}; the first group is the number of {@code (text:number)}. */
    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\[()\\[\\]\\\\]?"
                    + "|[(\\[]"
                    + "|:" + SPACE + "*([+-]?[.\\p{Nd}]+)" + SPACE + "*\\)"
                    + "|[)\\]]"
                    + "|[^\\\\()\\[\\]:]+"
                    + "|:");
    /** A1111's {@code re_break}. */
    private static final Pattern BREAK = Pattern.compile(
            SPACE + "*(?<!" + WORD + ")BREAK(?!" + WORD + ")" + SPACE + "*");
    private static final double ROUND_MULTIPLIER = 1.1;
    private static final double SQUARE_MULTIPLIER = 1 / 1.1;

    private PromptAttention() {
    }

    /**
     * The prompt's runs of text with their weights, in order.
     *
     * @throws IllegalArgumentException if a {@code (text:number)} has a number Python's {@code float}
     *                                  rejects, such as "1.2.3" (A1111 fails there too)
     */
    public static List<WeightedText> parse(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        List<Run> runs = new ArrayList<>();
        List<Integer> openRound = new ArrayList<>();
        List<Integer> openSquare = new ArrayList<>();
        Matcher m = ATTENTION.matcher(prompt);
        while (m.find()) {
            String token = m.group();
            String number = m.group(1);
            if (token.startsWith("\\")) {
                runs.add(new Run(token.substring(1)));
            } else if (token.equals("(")) {
                openRound.add(runs.size());
            } else if (token.equals("[")) {
                openSquare.add(runs.size());
            } else if (number != null && !openRound.isEmpty()) {
                multiplyFrom(runs, pop(openRound), parseWeight(number, prompt));
            } else if (token.equals(")") && !openRound.isEmpty()) {
                multiplyFrom(runs, pop(openRound), ROUND_MULTIPLIER);
            } else if (token.equals("]") && !openSquare.isEmpty()) {
                multiplyFrom(runs, pop(openSquare), SQUARE_MULTIPLIER);
            } else {
                addSplitAtBreaks(token, runs);
            }
        }
        for (int start : openRound) {
            multiplyFrom(runs, start, ROUND_MULTIPLIER);
        }
        for (int start : openSquare) {
            multiplyFrom(runs, start, SQUARE_MULTIPLIER);
        }
        if (runs.isEmpty()) {
            runs.add(new Run(""));
        }
        return merged(runs);
    }

    private static void addSplitAtBreaks(String text, List<Run> runs) {
        String[] parts = BREAK.split(text, -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                runs.add(new Run(WeightedText.BREAK.text(), WeightedText.BREAK.weight()));
            }
            runs.add(new Run(parts[i]));
        }
    }

    private static void multiplyFrom(List<Run> runs, int start, double multiplier) {
        for (int i = start; i < runs.size(); i++) {
            runs.get(i).weight *= multiplier;
        }
    }

    /** Python's {@code float()} of what the pattern matched, which may hold non-ASCII decimal digits. */
    private static double parseWeight(String number, String prompt) {
        StringBuilder ascii = new StringBuilder(number.length());
        number.codePoints().forEach(cp -> ascii.append(Character.isDigit(cp) ? (char) ('0' + Character.digit(cp, 10)) : (char) cp));
        try {
            return Double.parseDouble(ascii.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid attention weight '" + number + "' in prompt: " + prompt, e);
        }
    }

    /** Joins neighbours whose weights compare equal (as Python's {@code ==}: 0.0 equals -0.0). */
    private static List<WeightedText> merged(List<Run> runs) {
        List<WeightedText> result = new ArrayList<>();
        StringBuilder text = new StringBuilder(runs.get(0).text);
        double weight = runs.get(0).weight;
        for (Run run : runs.subList(1, runs.size())) {
            if (run.weight == weight) {
                text.append(run.text);
            } else {
                result.add(new WeightedText(text.toString(), weight));
                text.setLength(0);
                text.append(run.text);
                weight = run.weight;
            }
        }
        result.add(new WeightedText(text.toString(), weight));
        return List.copyOf(result);
    }

    private static int pop(List<Integer> stack) {
        return stack.remove(stack.size() - 1);
    }

    /** A run whose weight brackets closed later still multiply. */
    private static final class Run {
        private final String text;
        private double weight;

        Run(String text) {
            this(text, 1.0);
        }

        Run(String text, double weight) {
            this.text = text;
            this.weight = weight;
        }
    }
}
