package dev.inkwell.storybook;

import dev.inkwell.judge.Attribute;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.world.Accessory;
import dev.inkwell.world.Colour;
import dev.inkwell.world.Subject;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * How far apart a text encoder keeps the words of one attribute where the UNet reads them: each
 * value's word in the same prompt, the last layer's state (after the final LayerNorm) at that
 * word's token, and the mean cosine similarity over all pairs of values. Near 1 the words look
 * alike to the UNet, and it cannot learn to draw them differently.
 */
public final class WordSeparation {
    private WordSeparation() {}

    /** Mean pairwise cosine for the subject, colour and accessory words. */
    public static Map<Attribute, Double> measure(ClipTextModel text, ClipTokenizer tokenizer) {
        Map<Attribute, Double> out = new EnumMap<>(Attribute.class);
        out.put(Attribute.SUBJECT, meanCosine(text, tokenizer,
                Arrays.stream(Subject.values()).map(s -> "a " + s.word() + " in the snow").toList()));
        out.put(Attribute.COLOUR, meanCosine(text, tokenizer,
                Arrays.stream(Colour.values()).map(c -> "a " + c.word() + " fox in the snow").toList()));
        // Hat and scarf only: captions say "wearing glasses", without the article, so glasses would
        // not take the same single position.
        out.put(Attribute.ACCESSORY, meanCosine(text, tokenizer, Stream.of(Accessory.HAT, Accessory.SCARF)
                .map(a -> "a fox wearing a " + a.word() + " in the snow").toList()));
        return out;
    }

    /** {@code prompts} differ in one single-token word; the states compared are at its position. */
    static double meanCosine(ClipTextModel text, ClipTokenizer tokenizer, List<String> prompts) {
        long[][] ids = tokenizer.encodeForModel(prompts);
        int word = 0;
        while (ids[0][word] == ids[1][word]) {
            word++;
        }
        for (long[] row : ids) {
            if (!Arrays.equals(row, 0, word, ids[0], 0, word)
                    || !Arrays.equals(row, word + 1, row.length, ids[0], word + 1, row.length)) {
                throw new IllegalArgumentException("prompts must differ in one token only: " + prompts);
            }
        }
        float[] states;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            states = Torch.toFloats(text.encode(ids).lastHiddenState().select(1, word).contiguous());
        }
        int width = states.length / prompts.size();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < prompts.size(); i++) {
            for (int j = i + 1; j < prompts.size(); j++) {
                sum += cosine(states, i * width, j * width, width);
                pairs++;
            }
        }
        return sum / pairs;
    }

    private static double cosine(float[] v, int a, int b, int n) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < n; k++) {
            dot += v[a + k] * v[b + k];
            aa += v[a + k] * v[a + k];
            bb += v[b + k] * v[b + k];
        }
        return dot / Math.sqrt(aa * bb);
    }
}
