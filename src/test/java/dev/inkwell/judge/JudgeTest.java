package dev.inkwell.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.SceneSampler;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTest {

    private static BufferedImage[] scenes(int n, long seed) {
        SceneSampler sampler = new SceneSampler(seed);
        Renderer renderer = new Renderer();
        BufferedImage[] images = new BufferedImage[n];
        for (int i = 0; i < n; i++) {
            images[i] = renderer.render(sampler.next(), seed + i);
        }
        return images;
    }

    @Test
    void headsHaveOneLogitPerClass() {
        try (Judge judge = Judge.random(JudgeConfig.standard(), 1);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            Map<Attribute, Tensor> logits = judge.forward(Images.toTensor(scenes(3, 7)));
            assertEquals(Attribute.values().length, logits.size());
            assertEquals(11, Attribute.values().length);
            logits.forEach((a, t) -> assertArrayEquals(new long[] {3, a.classes()}, Torch.shape(t), a.key()));
            assertEquals(8, Attribute.SUBJECT.classes());
            assertEquals(4, Attribute.EYE_COLOUR.classes());
        }
    }

    @Test
    void predictGivesAValueAndProbabilityPerAttribute() {
        try (Judge judge = Judge.random(JudgeConfig.standard(), 1)) {
            JudgeOutput out = judge.predict(scenes(2, 3));
            assertEquals(2, out.images().size());
            for (Judgement j : out.images()) {
                for (Attribute a : Attribute.values()) {
                    Prediction p = j.get(a);
                    assertTrue(a.classValues().contains(p.value()), a.key());
                    assertTrue(p.probability() >= 1.0 / a.classes() - 1e-6 && p.probability() <= 1, a.key());
                }
            }
        }
    }

    @Test
    void savedJudgeLoadsToIdenticalPredictions(@TempDir Path dir) {
        BufferedImage[] images = scenes(4, 11);
        try (Judge judge = Judge.random(JudgeConfig.standard(), 5)) {
            judge.save(dir);
            assertTrue(Files.readString(dir.resolve(Judge.CONFIG_FILE), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("\"eye_colour\" : 4"));
            try (Judge loaded = Judge.load(dir)) {
                assertEquals(judge.config(), loaded.config());
                assertEquals(judge.parameters().keySet(), loaded.parameters().keySet());
                assertEquals(judge.predict(images), loaded.predict(images));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusesAConfigForOtherAttributes() {
        JudgeConfig standard = JudgeConfig.standard();
        JudgeConfig other = new JudgeConfig(standard.blockOutChannels(), standard.normNumGroups(), Map.of("subject", 8));
        assertThrows(IllegalArgumentException.class, () -> Judge.random(other, 1));
        assertEquals(List.of(32, 48, 96, 160, 192), standard.blockOutChannels());
    }
}
