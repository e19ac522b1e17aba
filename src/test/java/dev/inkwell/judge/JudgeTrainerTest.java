package dev.inkwell.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeTrainerTest {
    private static final JudgeTrainer.Settings SHORT = new JudgeTrainer.Settings(42, 32, 110, 3e-3, 10, 1.0, 0, 50, 50);

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
            JudgeTrainer.Settings half = new JudgeTrainer.Settings(7, 8, 3, 2e-3, 1, 1.0, 0.5, 3, 3);
            assertEquals("a round-trip share of 0.5 needs a VAE",
                    assertThrows(IllegalArgumentException.class, () -> new JudgeTrainer(judge, half, null)).getMessage());
            assertEquals(0, half.rendersOnly().roundTripShare());
        }
    }

    @Test
    void stepsAreDeterministicGivenTheSeed() {
        assertEquals(losses(), losses());
    }

    private static java.util.List<Double> losses() {
        try (Judge judge = Judge.random(JudgeConfig.standard(), 7);
                JudgeTrainer trainer = new JudgeTrainer(judge, new JudgeTrainer.Settings(7, 8, 3, 2e-3, 1, 1.0, 0, 3, 3), null)) {
            return java.util.List.of(trainer.step(0), trainer.step(1), trainer.step(2));
        }
    }
}
