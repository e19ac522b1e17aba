package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainingStepsTest {

    @Test
    void warmupRisesLinearlyThenHoldsThePeak() {
        assertEquals(0.01, TrainingSteps.warmupLearningRate(0, 1.0, 100), 1e-15);
        assertEquals(0.5, TrainingSteps.warmupLearningRate(49, 1.0, 100), 1e-15);
        assertEquals(1.0, TrainingSteps.warmupLearningRate(99, 1.0, 100), 1e-15);
        assertEquals(1.0, TrainingSteps.warmupLearningRate(5000, 1.0, 100), 1e-15);
        // No warmup: the peak from the first step.
        assertEquals(2e-3, TrainingSteps.warmupLearningRate(0, 2e-3, 0), 1e-18);
    }

    @Test
    void cosineWarmsUpLikeTheConstantScheduleThenDecaysToZero() {
        assertEquals(TrainingSteps.warmupLearningRate(9, 1.0, 100), TrainingSteps.cosineLearningRate(9, 1.0, 100, 1100), 1e-15);
        assertEquals(1.0, TrainingSteps.cosineLearningRate(100, 1.0, 100, 1100), 1e-15);
        assertEquals(0.5, TrainingSteps.cosineLearningRate(600, 1.0, 100, 1100), 1e-12);
        assertEquals(0.0, TrainingSteps.cosineLearningRate(1100, 1.0, 100, 1100), 1e-15);
    }
}
