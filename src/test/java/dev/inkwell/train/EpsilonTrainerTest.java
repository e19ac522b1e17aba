package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpsilonTrainerTest {
    private static final double LR = 1e-3;
    private static final Tensor[] DATA = TrainingFixture.data();

    /** A UNet with optimizer and EMA, trained from a given step by {@link EpsilonTrainer}. */
    private static final class Run implements AutoCloseable {
        final UNet2DConditionModel unet = TrainingFixture.unet();
        final AdamW adamw = new AdamW(unet.parameters(), AdamW.Options.DEFAULT);
        final Ema ema = new Ema(unet.parameters(), 0.9);
        final EpsilonTrainer trainer;
        Tensor emphasis;

        Run() {
            this(0);
        }

        Run(double snrGamma) {
            this(new EpsilonTrainer.Settings(42, 0.1, 1.0, snrGamma));
        }

        Run(EpsilonTrainer.Settings settings) {
            trainer = new EpsilonTrainer(unet, TrainingFixture.schedule(), adamw, ema, DATA[2], settings);
        }

        List<Double> train(long from, long to) {
            List<Double> losses = new ArrayList<>();
            for (long step = from; step < to; step++) {
                double warmup = Math.min(1, (step + 1) / 5.0);
                losses.add(trainer.step(step, DATA[0], DATA[1], emphasis, LR * warmup).loss());
            }
            return losses;
        }

        @Override
        public void close() {
            ema.close();
            adamw.close();
            unet.close();
        }
    }

    @Test
    void lossFallsOnAFixedTinyDataSet() {
        try (Run run = new Run()) {
            List<Double> losses = run.train(0, 30);
            double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
            double last = (losses.get(27) + losses.get(28) + losses.get(29)) / 3;
            assertTrue(last < 0.7 * first, "loss " + first + " -> " + last + ": " + losses);
        }
    }

    @Test
    void minSnrWeightCapsTheSignalToNoiseRatioAtGamma() {
        // acp 10/11 has SNR 10; acp 2/3 has SNR 2
        assertEquals(0.5, EpsilonTrainer.snrWeight(10.0 / 11, 5), 1e-12);
        assertEquals(1.0, EpsilonTrainer.snrWeight(2.0 / 3, 5), 1e-12);
        assertEquals(1.0, EpsilonTrainer.snrWeight(10.0 / 11, 0), 0);
    }

    @Test
    void minSnrWithAGammaAboveEverySnrIsThePlainLoss() {
        try (Run plain = new Run(); Run weighted = new Run(1e12); Run minSnr = new Run(5)) {
            List<Double> expected = plain.train(0, 3);
            List<Double> actual = weighted.train(0, 3);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), 1e-6 * expected.get(i));
            }
            assertTrue(minSnr.train(0, 1).get(0) <= expected.get(0), "Min-SNR weights are at most 1");
        }
    }

    @Test
    void eachCellsErrorCountsOnePlusItsEmphasisTimes() {
        long[] cells = DATA[0].sizes().vec().get();
        cells[1] = 1;
        EpsilonTrainer.Settings keepCaptions = new EpsilonTrainer.Settings(42, 0, 1.0, 5);
        try (Run plain = new Run(keepCaptions); Run none = new Run(keepCaptions); Run every = new Run(keepCaptions)) {
            none.emphasis = torch.zeros(cells);
            every.emphasis = torch.ones(cells).mul(new Scalar(4.0));
            double expected = plain.train(0, 1).get(0);
            assertEquals(expected, none.train(0, 1).get(0), 1e-6 * expected);
            assertEquals(5 * expected, every.train(0, 1).get(0), 5e-6 * expected);
        }
        // A dropped caption names nothing, so its cells get no emphasis.
        EpsilonTrainer.Settings dropCaptions = new EpsilonTrainer.Settings(42, 1, 1.0, 5);
        try (Run plain = new Run(dropCaptions); Run dropped = new Run(dropCaptions)) {
            dropped.emphasis = torch.ones(cells).mul(new Scalar(4.0));
            double expected = plain.train(0, 1).get(0);
            assertEquals(expected, dropped.train(0, 1).get(0), 1e-6 * expected);
        }
    }

    @Test
    void resumedRunIsBitIdentical(@TempDir Path dir) {
        Path file = dir.resolve("state.safetensors");
        try (Run straight = new Run(); Run first = new Run(); Run second = new Run()) {
            List<Double> straightLosses = straight.train(0, 6);
            List<Double> resumedLosses = new ArrayList<>(first.train(0, 3));
            TrainingCheckpoint.save(file, first.unet.parameters(), first.adamw, first.ema,
                    new TrainingCheckpoint.Progress(3, 42));
            TrainingCheckpoint.Progress progress = TrainingCheckpoint.load(file, second.unet.parameters(), second.adamw,
                    second.ema);
            assertEquals(new TrainingCheckpoint.Progress(3, 42), progress);
            assertEquals(3, second.adamw.steps());
            resumedLosses.addAll(second.train(progress.step(), 6));
            assertEquals(straightLosses, resumedLosses);
            assertSame(straight.unet.parameters(), second.unet.parameters());
            assertSame(straight.ema.shadow(), second.ema.shadow());
            assertSame(straight.adamw.expAvgSq(), second.adamw.expAvgSq());
        }
    }

    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((key, t) -> assertArrayEquals(Torch.toFloats(t.detach()), Torch.toFloats(actual.get(key).detach()), key));
    }
}
