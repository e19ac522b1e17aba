package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.train.VaeTrainer;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.world.CaptionedSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentPoolTest {
    private static final PrintWriter NO_LOG = new PrintWriter(Writer.nullWriter());

    @Test
    void holdsTheScenesOfTheStepStreamAsScaledLatentsAndReadsThemBackFromItsFile(@TempDir Path dir) {
        Path file = dir.resolve("pool.safetensors");
        long seed = 5;
        try (AutoencoderKL vae = VaeTrainer.fresh(VaeTrainer.Settings.defaults(seed, 1).config(), seed);
                PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            // The second chunk's first scene: index 32.
            List<CaptionedSample> chunk = CaptionedSample.draw(TrainingSteps.random(~seed, 1), 32);
            float[] expected = Torch.toFloats(vae.toLatents(vae.encode(Images.toTensor(chunk.get(0).image())).mean()));
            long[] expectedIds = StorybookTraining.tokenizer().encodeForModel(List.of(chunk.get(0).caption().text()))[0];
            float[] built;
            try (LatentPool pool = LatentPool.loadOrBuild(file, vae, StorybookTraining.tokenizer(), seed, 64, NO_LOG)) {
                assertEquals(64, pool.size());
                built = Torch.toFloats(pool.latents(new long[] {32, 0}));
                assertArrayEquals(expected, Arrays.copyOf(built, expected.length), 1e-5f);
                assertArrayEquals(expectedIds, pool.ids(new long[] {32})[0]);
                float[] subject = chunk.get(0).subjectCells(16);
                float[] accessory = chunk.get(0).namedAccessoryCells(16);
                float[] emphasis = new float[subject.length];
                for (int i = 0; i < emphasis.length; i++) {
                    emphasis[i] = 2 * subject[i] + 3 * accessory[i];
                }
                assertArrayEquals(emphasis, Torch.toFloats(pool.emphasis(new long[] {32}, 2, 3)));
            }
            try (LatentPool read = LatentPool.loadOrBuild(file, null, StorybookTraining.tokenizer(), seed, 64, NO_LOG)) {
                assertArrayEquals(built, Torch.toFloats(read.latents(new long[] {32, 0})));
            }
        }
        assertEquals(file + " holds 64 scenes of seed 5, not 96 of seed 5", assertThrows(IllegalArgumentException.class,
                () -> LatentPool.loadOrBuild(file, null, StorybookTraining.tokenizer(), seed, 96, NO_LOG)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LatentPool.loadOrBuild(dir.resolve("other"), null, StorybookTraining.tokenizer(), seed, 40, NO_LOG));
        assertFalse(Files.exists(dir.resolve("other")));
    }

    @Test
    void reportsItsProgress(@TempDir Path dir) {
        StringWriter log = new StringWriter();
        try (AutoencoderKL vae = VaeTrainer.fresh(VaeTrainer.Settings.defaults(1, 1).config(), 1);
                LatentPool pool = LatentPool.loadOrBuild(dir.resolve("p"), vae, StorybookTraining.tokenizer(), 1, 32,
                        new PrintWriter(log))) {
            assertEquals("unet data: 32/32 scenes rendered and encoded\n", log.toString());
        }
    }
}
