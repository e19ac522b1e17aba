package dev.inkwell.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.prompt.Prompt;
import dev.inkwell.scheduler.SchedulerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

    @Test
    void theReadmeRequestRepeatsPromptAndNegativeForTheBatch() {
        GenerationRequest r = GenerationRequest.of("a red fox in the snow")
                .withNegativePrompt("blurry").withSize(512, 512).withSteps(25).withGuidance(7.5)
                .withScheduler(SchedulerKind.EULER).withSeed(42).withBatch(2);
        assertEquals(List.of(Prompt.of("a red fox in the snow"), Prompt.of("a red fox in the snow")), r.prompts());
        assertEquals("blurry", r.negativePrompt(1));
        assertEquals(2, r.batchSize());
        assertEquals(SchedulerKind.EULER, r.scheduler());
    }

    @Test
    void theDefaultSizeIsTheModelsNativeSize() {
        GenerationRequest r = GenerationRequest.of("x");
        assertEquals(List.of(64, 64), size(r.withNativeSize(64)));
        assertEquals(List.of(512, 768), size(r.withSize(0, 768).withNativeSize(512)));
        assertEquals(List.of(640, 256), size(r.withSize(640, 256).withNativeSize(1024)));
    }

    private static List<Integer> size(GenerationRequest r) {
        return List.of(r.width(), r.height());
    }

    @Test
    void badValuesAreRefusedWithTheirReason() {
        GenerationRequest r = GenerationRequest.of("x");
        assertEquals("steps must be positive, not 0",
                assertThrows(IllegalArgumentException.class, () -> r.withSteps(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.withSize(100, 64));
        assertThrows(IllegalArgumentException.class, () -> r.withSize(-8, 64));
        assertThrows(IllegalArgumentException.class, () -> r.withBatch(0));
        assertThrows(IllegalArgumentException.class, () -> r.withNegativePrompts(List.of("a", "b")));
        assertEquals("negative guidance must be from 0 to 100, not -1.0",
                assertThrows(IllegalArgumentException.class, () -> r.withNegativeGuidance(-1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.withNegativeGuidance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> r.withNegativeGuidance(1e30));
        for (double g : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e30, -1}) {
            assertEquals("guidance must be from 0 to 100, not " + g,
                    assertThrows(IllegalArgumentException.class, () -> r.withGuidance(g)).getMessage());
        }
    }
}
