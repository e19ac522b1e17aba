package dev.inkwell.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.world.Size;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTrainerTest {
    private static final JudgeTrainer.Settings SHORT = new JudgeTrainer.Settings(42, 32, 110, 3e-3, 10, 1.0, 0, 0.5, 0, 50, 50);

    @Test
    void shortRunLearnsSettingAndSize() {
        long t0 = System.nanoTime();
        try (Judge judge = Judge.random(JudgeConfig.standard(), SHORT.seed());
                JudgeTrainer trainer = new JudgeTrainer(judge, SHORT, null)) {
            for (long step = 0; step < SHORT.steps(); step++) {
                trainer.step(step);
            }
            Map<Attribute, Double> accuracy = trainer.evaluate(128, 999);
            System.out.println("accuracy " + accuracy + " in " + (System.nanoTime() - t0) / 1e9 + " s");
            assertTrue(accuracy.get(Attribute.SIZE) > 0.65, "size " + accuracy); // chance 0.5
            assertTrue(accuracy.get(Attribute.SETTING) > 0.8, "setting " + accuracy); // chance 0.125
        }
    }

    @Test
    void aRoundTripShareNeedsAVae() {
        try (Judge judge = Judge.random(JudgeConfig.standard(), 7)) {
            JudgeTrainer.Settings half = new JudgeTrainer.Settings(7, 8, 3, 2e-3, 1, 1.0, 0.5, 0.5, 0, 3, 3);
            assertEquals("a round-trip share of 0.5 needs a VAE",
                    assertThrows(IllegalArgumentException.class, () -> new JudgeTrainer(judge, half, null)).getMessage());
            assertEquals(0, half.rendersOnly().roundTripShare());
        }
    }

    @Test
    void stepsAreDeterministicGivenTheSeed() {
        assertEquals(losses(), losses());
    }

    @Test
    void drawsSmallSubjectsAtTheSettingsShare() {
        assertEquals(0, smallShare(0), 0);
        assertEquals(1, smallShare(1), 0);
        assertEquals(2.0 / 3, smallShare(2.0 / 3), 0.04); // 640 scenes: three standard deviations
    }

    private static double smallShare(double share) {
        JudgeTrainer.Settings settings = new JudgeTrainer.Settings(5, 32, 20, 2e-3, 1, 1.0, 0, share, 0, 20, 20);
        try (Judge judge = Judge.random(JudgeConfig.standard(), 5); JudgeTrainer trainer = new JudgeTrainer(judge, settings, null)) {
            return LongStream.range(0, settings.steps()).boxed().flatMap(step -> trainer.batch(step).stream())
                    .mapToDouble(sample -> sample.scene().size() == Size.SMALL ? 1 : 0).average().orElseThrow();
        }
    }

    @Test
    void savesTheAverageOfTheWeights(@TempDir Path dir) {
        JudgeTrainer.Settings averaged = new JudgeTrainer.Settings(9, 4, 1, 2e-3, 1, 1.0, 0, 0.5, 0.999, 1, 1);
        JudgeTrainer.trainToFolder(dir, averaged, null, null, new PrintWriter(new StringWriter()));
        try (Judge initial = Judge.random(JudgeConfig.standard(), 9);
                Judge stepped = Judge.random(JudgeConfig.standard(), 9);
                JudgeTrainer trainer = new JudgeTrainer(stepped, averaged, null);
                Judge saved = Judge.load(dir)) {
            trainer.step(0);
            // after one step the average's decay has warmed up to only (1 + 0) / (10 + 0)
            for (String key : List.of("conv_in.weight", "heads.pattern.weight")) {
                Tensor expected = initial.parameters().get(key).mul(new Scalar(0.1))
                        .add(stepped.parameters().get(key).mul(new Scalar(0.9)));
                assertEquals(0, saved.parameters().get(key).sub(expected).abs().max().item_double(), 1e-6, key);
                assertTrue(stepped.parameters().get(key).sub(initial.parameters().get(key)).abs().max().item_double() > 1e-4,
                        key + " moved");
            }
        }
    }

    private static java.util.List<Double> losses() {
        try (Judge judge = Judge.random(JudgeConfig.standard(), 7);
                JudgeTrainer trainer = new JudgeTrainer(judge, new JudgeTrainer.Settings(7, 8, 3, 2e-3, 1, 1.0, 0, 0.5, 0.999, 3, 3), null)) {
            return java.util.List.of(trainer.step(0), trainer.step(1), trainer.step(2));
        }
    }
}
