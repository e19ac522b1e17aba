package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.ComponentFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTrainerTest {
    /** The default architecture at half the width, to keep the tests fast. */
    private static final VaeConfig SMALL = new VaeConfig(3, 3, 4, new int[] {16, 32, 32}, 1, 8, 1.0, 0.0, true, true,
            true, true, 64);
    private static final Tensor HELD_OUT = VaeTrainer.scenes(-7, 8);

    private static VaeTrainer.Settings settings(int steps) {
        return new VaeTrainer.Settings(SMALL, 42, steps, 2, 1.5e-3, 5, 1e-6, 1.0, 1.0, 0.99, 2, 1);
    }

    /** A fresh model with optimizer and EMA, trained by {@link VaeTrainer}. */
    private static final class Run implements AutoCloseable {
        final AutoencoderKL vae = VaeTrainer.fresh(SMALL, 42);
        final AdamW adamw = new AdamW(vae.parameters(), AdamW.Options.DEFAULT);
        final Ema ema = new Ema(vae.parameters(), 0.99);

        List<Double> train(int steps) {
            VaeTrainer trainer = new VaeTrainer(vae, adamw, ema, settings(steps));
            List<Double> losses = new ArrayList<>();
            for (long step = 0; step < steps; step++) {
                losses.add(trainer.step(step).reconstruction());
            }
            return losses;
        }

        @Override
        public void close() {
            ema.close();
            adamw.close();
            vae.close();
        }
    }

    @Test
    void savedModelLoadsBackAndDecodesIdentically(@TempDir Path dir) throws Exception {
        VaeConfig config = SMALL.withScalingFactor(0.4321);
        Path folder = dir.resolve("vae");
        Torch.init();
        torch.manual_seed(5);
        try (Tensor z = torch.randn(2, 4, 16, 16); AutoencoderKL fresh = VaeTrainer.fresh(config, 3)) {
            VaeTrainer.save(folder, config, fresh.parameters());
            try (AutoencoderKL loaded = AutoencoderKL.load(folder, ComponentFiles.open(folder), Precision.FLOAT32)) {
                assertEquals(config.toJson(), loaded.config().toJson());
                assertArrayEquals(decode(fresh, z), decode(loaded, z));
            }
        }
    }

    @Test
    void shortTrainingReducesHeldOutErrorDeterministically() {
        try (Run run = new Run(); Run again = new Run()) {
            VaeTrainer.Quality before = VaeTrainer.quality(run.vae, HELD_OUT);
            List<Double> losses = run.train(30);
            VaeTrainer.Quality after = VaeTrainer.quality(run.vae, HELD_OUT);
            assertTrue(after.meanAbsError() < 0.75 * before.meanAbsError(), before + " -> " + after + ": " + losses);
            assertEquals(losses.subList(0, 2), again.train(2));
        }
    }

    @Test
    void scalingFactorBringsLatentsToUnitStd() {
        try (AutoencoderKL vae = VaeTrainer.fresh(SMALL, 9); PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            double factor = VaeTrainer.scalingFactor(vae, HELD_OUT, 11);
            torch.manual_seed(11);
            var posterior = vae.encode(HELD_OUT);
            Tensor z = posterior.sample(torch.randn(posterior.mean().sizes().vec().get()));
            assertEquals(1.0, factor * z.std().item_double(), 1e-4);
        }
    }

    @Test
    void trainToFolderResumesAndWritesALoadableVae(@TempDir Path dir) throws Exception {
        StringWriter log = new StringWriter();
        VaeTrainer.trainToFolder(dir.resolve("a"), settings(1), null, new PrintWriter(log));
        VaeTrainer.trainToFolder(dir.resolve("a"), settings(2), null, new PrintWriter(log));
        VaeTrainer.trainToFolder(dir.resolve("b"), settings(2), null, new PrintWriter(log));
        assertTrue(log.toString().contains("resuming from"), log.toString());
        Path a = dir.resolve("a/vae");
        Path b = dir.resolve("b/vae");
        try (AutoencoderKL resumed = AutoencoderKL.load(a, ComponentFiles.open(a), Precision.FLOAT32);
                AutoencoderKL straight = AutoencoderKL.load(b, ComponentFiles.open(b), Precision.FLOAT32)) {
            assertEquals(straight.config().toJson(), resumed.config().toJson());
            double factor = resumed.config().scalingFactor();
            assertTrue(factor > 0 && factor != 1.0, "scaling_factor " + factor);
            straight.parameters().forEach((key, t) ->
                    assertArrayEquals(Torch.toFloats(t), Torch.toFloats(resumed.parameters().get(key)), key));
        }
    }

    private static float[] decode(AutoencoderKL vae, Tensor z) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            return Torch.toFloats(vae.decode(z));
        }
    }
}
