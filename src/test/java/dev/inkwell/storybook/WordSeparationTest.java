package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.weights.RandomSource;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

class WordSeparationTest {
    private static final ClipTextConfig TEXT = new ClipTextConfig(49408, 32, 64, 2, 2, 77, "quick_gelu", 1e-5, 49407, 32, false);
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.openAiDefault();

    @Test
    void comparesTheLastLayerStatesAtTheWordThatDiffers() {
        List<String> prompts = List.of("a fox in the snow", "a cat in the snow");
        try (ClipTextModel text = new ClipTextModel(TEXT, new RandomSource(4), Precision.FLOAT32);
                PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            float[] fox = Torch.toFloats(text.encode(TOKENIZER.encodeForModel(List.of(prompts.get(0)))).lastHiddenState().select(1, 2));
            float[] cat = Torch.toFloats(text.encode(TOKENIZER.encodeForModel(List.of(prompts.get(1)))).lastHiddenState().select(1, 2));
            double dot = 0;
            double ff = 0;
            double cc = 0;
            for (int k = 0; k < fox.length; k++) {
                dot += fox[k] * cat[k];
                ff += fox[k] * fox[k];
                cc += cat[k] * cat[k];
            }
            assertEquals(dot / Math.sqrt(ff * cc), WordSeparation.meanCosine(text, TOKENIZER, prompts), 1e-5);
            assertThrows(IllegalArgumentException.class,
                    () -> WordSeparation.meanCosine(text, TOKENIZER, List.of("a fox in the snow", "a cat on the beach")));
        }
    }
}
