package dev.inkwell.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

class PromptEncoderTest {

    @Test
    void weightsScaleTheirTokensAndTheChunkKeepsItsMean() {
        try (StableDiffusion sd = StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32);
                NoGradGuard noGrad = new NoGradGuard()) {
            PromptEncoder encoder = new PromptEncoder(sd);
            float[] plain = Torch.toFloats(encoder.encode(List.of("a red fox"), 1).context());
            float[] weighted = Torch.toFloats(encoder.encode(List.of("a (red:1.5) fox"), 1).context());
            int d = 32;
            // Token 2 ("red", after BOS and "a") is scaled by 1.5, then everything by mean ratio.
            double sumPlain = 0;
            double sumScaled = 0;
            for (int i = 0; i < plain.length; i++) {
                double w = i / d == 2 ? 1.5 : 1.0;
                sumPlain += plain[i];
                sumScaled += plain[i] * w;
            }
            double ratio = sumPlain / sumScaled;
            for (int i = 0; i < plain.length; i++) {
                double w = i / d == 2 ? 1.5 : 1.0;
                assertEquals(plain[i] * w * ratio, weighted[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void breakStartsANewChunkOnEveryModel() {
        try (StableDiffusion sd = StableDiffusion.load(Goldens.model("sdxl-tiny"), Precision.FLOAT32);
                NoGradGuard noGrad = new NoGradGuard()) {
            PromptEmbeddings e = new PromptEncoder(sd).encode(List.of("a red fox BREAK in the snow"), 1);
            assertArrayEquals(new long[] {1, 154, 72}, Torch.shape(e.context()));
            assertArrayEquals(new long[] {1, 24}, Torch.shape(e.pooled()));
            // The pooled embedding is the first chunk's: the same as for "a red fox" alone.
            PromptEmbeddings first = new PromptEncoder(sd).encode(List.of("a red fox"), 1);
            Goldens.assertClose(first.pooled(), e.pooled(), 1e-6, "pooled from the first chunk");
        }
    }
}
