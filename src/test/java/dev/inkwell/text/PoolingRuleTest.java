package dev.inkwell.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.nn.Config;
import dev.inkwell.tensor.Precision;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the pooled output is read: the first EOS, or the largest id under the legacy config. */
class PoolingRuleTest {

    @Test
    void legacyEosTokenIdTwoPoolsAtTheLargestId() {
        Path dir = Goldens.model("sd15-tiny").resolve("text_encoder");
        ClipTextConfig c = ClipTextConfig.from(Config.read(dir.resolve("config.json")));
        ClipTextConfig legacy = new ClipTextConfig(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.layers(),
                c.heads(), c.maxPositions(), c.hiddenAct(), c.layerNormEps(), 2, c.projectionDim(), false);
        // "<|startoftext|> a photo of a <new1> <|endoftext|>": a token added after the vocabulary
        // (ClassDiffusion's <new1>, id 49408) outranks EOS under the legacy rule.
        long[] row = {49406, 320, 1125, 539, 320, 49408, 49407, 49407};
        try (ClipTextModel current = new ClipTextModel(c, ComponentFiles.open(dir), Precision.FLOAT32);
                ClipTextModel old = new ClipTextModel(legacy, ComponentFiles.open(dir), Precision.FLOAT32)) {
            assertEquals(6, current.poolPosition(row));
            assertEquals(5, old.poolPosition(row));
            assertEquals(0, current.poolPosition(new long[] {49406, 320, 1125}), "no EOS: position 0, as argmax of all-false");
        }
    }
}
