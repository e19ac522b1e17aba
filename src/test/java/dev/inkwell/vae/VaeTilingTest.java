package dev.inkwell.vae;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class VaeTilingTest {

    @Test
    void tilesCoverTheLatentsWithTheLastFlushAtTheEnd() {
        assertArrayEquals(new int[] {0}, VaeTiling.starts(64, 64, 16));
        assertArrayEquals(new int[] {0, 48, 56}, VaeTiling.starts(120, 64, 16));
        assertArrayEquals(new int[] {0, 6, 12, 16}, VaeTiling.starts(24, 8, 2));
    }

    @Test
    void tiledDecodeMatchesTheWholeDecode() {
        Path dir = Goldens.model("sd15-tiny").resolve("vae");
        try (NoGradGuard noGrad = new NoGradGuard();
                AutoencoderKL vae = AutoencoderKL.load(dir, ComponentFiles.open(dir), Precision.FLOAT32)) {
            torch.manual_seed(1);
            Tensor latents = torch.randn(1, 4, 24, 32);
            Tensor whole = vae.toImage(latents);
            // One tile covering everything is the whole decode.
            assertClose(whole, VaeTiling.toImageTiled(vae, latents, 32, 8), 1e-6, "one tile");
            // Overlapping tiles differ only through the tiles' own GroupNorm statistics and
            // the zero padding at their borders, which the blending keeps small.
            Tensor tiled = VaeTiling.toImageTiled(vae, latents, 16, 8);
            assertArrayEquals(Torch.shape(whole), Torch.shape(tiled));
            assertClose(whole, tiled, 0.25, "overlapping tiles");
        }
    }
}
