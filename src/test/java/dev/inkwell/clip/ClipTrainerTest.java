package dev.inkwell.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.storybook.StorybookConfigs;
import dev.inkwell.storybook.StorybookTraining;
import dev.inkwell.tensor.Torch;
import dev.inkwell.tensor.Precision;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.weights.ComponentFiles;
import dev.inkwell.world.Sample;
import dev.inkwell.image.Images;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTrainerTest {
    /** A narrow CLIP so the test is quick: two layers of width 64. */
    private static final ClipTextConfig TEXT = new ClipTextConfig(49408, 64, 128, 2, 2, 77, "quick_gelu", 1e-5, 49407, 64, false);
    private static final ClipVisionConfig VISION = new ClipVisionConfig(64, 128, 2, 2, 64, 8, "quick_gelu", 1e-5, 64);

    @Test
    void contrastiveAndCaptionHeadLossesFallFromChanceOnStorybookBatches() {
        List<ClipTrainer.StepResult> results = new ArrayList<>();
        try (Clip clip = Clip.fresh(TEXT, VISION, 3);
                ClipTrainer trainer = new ClipTrainer(clip, StorybookTraining.tokenizer(),
                        new ClipTrainer.Settings(3, 40, 32, 2e-3, 5, 1.0, 1.0, 100, 10))) {
            for (long step = 0; step < 40; step++) {
                results.add(trainer.step(step));
            }
        }
        double first = mean(results.subList(0, 5), ClipTrainer.StepResult::loss);
        double last = mean(results.subList(35, 40), ClipTrainer.StepResult::loss);
        assertEquals(Math.log(32), first, 0.3, "an untrained CLIP is at chance: " + results);
        assertTrue(last < first - 0.5, "loss " + first + " -> " + last);
        double firstHeads = mean(results.subList(0, 5), ClipTrainer.StepResult::captionLoss);
        double lastHeads = mean(results.subList(35, 40), ClipTrainer.StepResult::captionLoss);
        // A head that only guesses the class frequencies scores at most ln(classes); the mean over
        // 8 subjects, 11 colours, 4 accessories, 8 settings, 3 poses and 2 sizes.
        double chance = (Math.log(8) + Math.log(11) + Math.log(4) + Math.log(8) + Math.log(3) + Math.log(2)) / 6;
        assertTrue(lastHeads < firstHeads - 0.3 && lastHeads < chance, "caption heads " + firstHeads + " -> " + lastHeads);
    }

    private static double mean(List<ClipTrainer.StepResult> results, ToDoubleFunction<ClipTrainer.StepResult> value) {
        return results.stream().mapToDouble(value).average().orElseThrow();
    }

    @Test
    void savedAndLoadedClipGivesTheSameEmbeddings(@TempDir Path dir) throws Exception {
        long[][] ids = StorybookTraining.tokenizer().encodeForModel(List.of("a red fox", "a blue robot in the city"));
        try (Clip clip = Clip.fresh(StorybookConfigs.text(), StorybookConfigs.vision(), 5);
                PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            clip.save(dir, 1);
            try (Clip loaded = Clip.load(dir);
                    ClipTextModel encoder = ClipTextModel.load(dir.resolve(Clip.TEXT_FOLDER),
                            ComponentFiles.open(dir.resolve(Clip.TEXT_FOLDER)), Precision.FLOAT32)) {
                // The pipeline's text encoder is the tower's first layer and its final LayerNorm.
                assertEquals(1, encoder.config().layers());
                assertArrayEquals(Torch.toFloats(clip.text().finalLayerNorm(clip.text().encode(ids).hiddenStates().get(1))),
                        Torch.toFloats(encoder.encode(ids).lastHiddenState()));
                var images = Images.toTensor(Sample.images(Sample.draw(2, 3)));
                assertArrayEquals(Torch.toFloats(clip.textEmbeds(ids)), Torch.toFloats(loaded.textEmbeds(ids)));
                assertArrayEquals(Torch.toFloats(clip.imageEmbeds(images)), Torch.toFloats(loaded.imageEmbeds(images)));
                assertArrayEquals(new long[] {3, 128}, Torch.shape(loaded.imageEmbeds(images)));
            }
        }
    }
}
