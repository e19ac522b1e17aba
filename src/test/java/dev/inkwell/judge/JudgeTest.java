package dev.inkwell.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.image.Images;
import dev.inkwell.nn.Ops;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.SceneSampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
    void readsAPictureAndItsMirrorImageAsOne() {
        BufferedImage[] images = scenes(3, 17);
        BufferedImage[] mirrors = new BufferedImage[images.length];
        for (int i = 0; i < images.length; i++) {
            int w = images[i].getWidth();
            mirrors[i] = new BufferedImage(w, images[i].getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < images[i].getHeight(); y++) {
                for (int x = 0; x < w; x++) {
                    mirrors[i].setRGB(w - 1 - x, y, images[i].getRGB(x, y));
                }
            }
        }
        try (Judge judge = Judge.random(JudgeConfig.standard(), 4);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            JudgeOutput out = judge.predict(images);
            assertEquals(out, judge.predict(mirrors));
            Map<Attribute, Tensor> direct = judge.forward(Images.toTensor(images));
            Map<Attribute, Tensor> mirrored = judge.forward(Images.toTensor(mirrors));
            for (Attribute a : Attribute.values()) {
                float[] p = Torch.toFloats(direct.get(a).softmax(1));
                float[] q = Torch.toFloats(mirrored.get(a).softmax(1));
                for (int i = 0; i < images.length; i++) {
                    Prediction predicted = out.get(i).get(a);
                    int c = a.classValues().indexOf(predicted.value());
                    double mean = (p[i * a.classes() + c] + q[i * a.classes() + c]) / 2;
                    assertEquals(mean, predicted.probability(), 1e-6, a.key());
                    for (int other = 0; other < a.classes(); other++) {
                        double otherMean = (p[i * a.classes() + other] + q[i * a.classes() + other]) / 2;
                        assertTrue(otherMean <= mean + 1e-6, a.key() + ": the most probable value on average");
                    }
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
    void meanAndMaxPoolingFeedsTheHeadsBothHalves(@TempDir Path dir) throws IOException {
        JudgeConfig meanMax = JudgeConfig.standard();
        assertEquals(JudgeConfig.Pooling.MEAN_MAX, meanMax.pooling());
        JudgeConfig mean = new JudgeConfig(meanMax.blockOutChannels(), meanMax.normNumGroups(),
                JudgeConfig.Pooling.MEAN, meanMax.heads());
        BufferedImage[] images = scenes(3, 21);
        try (Judge meanJudge = Judge.random(mean, 9);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            // The same weights with each head widened by zero columns for the max half: the max
            // half must then change nothing, and non-zero columns there must change the logits.
            Map<String, Tensor> widened = new LinkedHashMap<>(meanJudge.parameters());
            for (Attribute a : Attribute.values()) {
                String key = "heads." + a.key() + ".weight";
                widened.put(key, Ops.cat(1, widened.get(key), torch.zeros_like(widened.get(key))));
            }
            Files.writeString(dir.resolve(Judge.CONFIG_FILE), meanMax.toJson());
            ParameterFiles.write(dir.resolve(Judge.WEIGHTS_FILE), widened);
            Tensor input = Images.toTensor(images);
            Map<Attribute, Tensor> expected = meanJudge.forward(input);
            try (Judge loaded = Judge.load(dir)) {
                assertEquals(JudgeConfig.Pooling.MEAN_MAX, loaded.config().pooling());
                Map<Attribute, Tensor> logits = loaded.forward(input);
                for (Attribute a : Attribute.values()) {
                    assertArrayEquals(Torch.toFloats(expected.get(a)), Torch.toFloats(logits.get(a)), 1e-5f, a.key());
                }
                Tensor head = loaded.parameters().get("heads.subject.weight");
                assertArrayEquals(new long[] {8, 384}, Torch.shape(head));
                head.narrow(1, 192, 192).fill_(new Scalar(0.01));
                float[] before = Torch.toFloats(expected.get(Attribute.SUBJECT));
                float[] after = Torch.toFloats(loaded.forward(input).get(Attribute.SUBJECT));
                for (int i = 0; i < before.length; i++) {
                    assertTrue(after[i] - before[i] > 1e-4, "the max half adds 0.01 x its (positive) features");
                }
            }
        }
    }

    @Test
    void aConfigWithoutPoolingIsTheMeanPooledJudgeOfBefore(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(Judge.CONFIG_FILE);
        Files.writeString(file, JudgeConfig.standard().toJson().replaceAll("\\s*\"pooling\" : \"mean_max\",", ""));
        assertFalse(Files.readString(file).contains("pooling"));
        assertEquals(JudgeConfig.Pooling.MEAN, JudgeConfig.read(file).pooling());
        Files.writeString(file, JudgeConfig.standard().toJson().replace("mean_max", "median"));
        assertEquals(file + ": not a judge config: unknown pooling \"median\" (mean, mean_max)",
                assertThrows(IllegalArgumentException.class, () -> JudgeConfig.read(file)).getMessage());
    }

    @Test
    void refusesAConfigForOtherAttributes() {
        JudgeConfig standard = JudgeConfig.standard();
        JudgeConfig other = new JudgeConfig(standard.blockOutChannels(), standard.normNumGroups(), standard.pooling(),
                Map.of("subject", 8));
        assertThrows(IllegalArgumentException.class, () -> Judge.random(other, 1));
        assertEquals(List.of(32, 48, 96, 160, 192), standard.blockOutChannels());
    }
}
