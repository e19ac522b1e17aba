package dev.inkwell.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTextTest {
    @Test
    void valuesAreQuotedAsAutomatic1111QuotesThem() {
        GenerationRequest r = GenerationRequest.of("a fox,\tin\nsnow").withGuidance(6.25).withNegativePrompt("blurry")
                .withSize(64, 64).withSeed(-1);
        String info = InfoText.of(r, 0, SchedulerKind.EULER_A, r.seed(), new InfoText.Model("my, model: v2", ModelFamily.SD1, Precision.BFLOAT16),
                Map.of("Note", "a \"quoted\" word"));
        assertEquals("a fox, in snow\nNegative prompt: blurry\nSteps: 25, Sampler: Euler a, CFG scale: 6.25,"
                + " Seed: 18446744073709551615, Size: 64x64, Model: \"my, model: v2\", Precision: bfloat16, Note: a \"quoted\" word", info);
    }

    @Test
    void controlCharactersOtherThanWhitespaceAreRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GenerationRequest.of("a fox\u0007"));
        assertEquals("a prompt contains the control character U+0007; prompts are plain text", e.getMessage());
    }
}
