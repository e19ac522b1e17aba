package dev.inkwell.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.storybook.StorybookConfigs;
import dev.inkwell.storybook.StorybookTraining;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.train.AdamW;
import dev.inkwell.world.Sample;
import dev.inkwell.image.Images;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTrainerTest {
    /** A narrow CLIP so the test is quick: two layers of width 64. */
    private static final ClipTextConfig TEXT = new ClipTextConfig(49408, 64, 128, 2, 2, 77, "quick_gelu", 1e-5, 49407, 64, false);
    private static final ClipVisionConfig VISION = new ClipVisionConfig(64, 128, 2, 2, 64, 8, "quick_gelu", 1e-5, 64);

    @Test
    void contrastiveLossFallsFromChanceOnStorybookBatches() {
        List<Double> losses = new ArrayList<>();
        try (Clip clip = Clip.fresh(TEXT, VISION, 3); AdamW optimizer = new AdamW(clip.parameters(), AdamW.Options.DEFAULT)) {
            ClipTrainer trainer = new ClipTrainer(clip, StorybookTraining.tokenizer(), optimizer,
                    new ClipTrainer.Settings(3, 40, 32, 2e-3, 5, 1.0, 100, 10));
            for (long step = 0; step < 40; step++) {
                losses.add(trainer.step(step).loss());
            }
        }
        double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(35, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(Math.log(32), first, 0.3, "an untrained CLIP is at chance: " + losses);
        assertTrue(last < first - 0.5, "loss " + first + " -> " + last);
    }

    @Test
    void savedAndLoadedClipGivesTheSameEmbeddings(@TempDir Path dir) throws Exception {
        long[][] ids = StorybookTraining.tokenizer().encodeForModel(List.of("a red fox", "a blue robot in the city"));
        try (Clip clip = Clip.fresh(StorybookConfigs.text(), StorybookConfigs.vision(), 5);
                PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            clip.save(dir);
            try (Clip loaded = Clip.load(dir)) {
                var images = Images.toTensor(Sample.images(Sample.draw(2, 3)));
                assertArrayEquals(Torch.toFloats(clip.textEmbeds(ids)), Torch.toFloats(loaded.textEmbeds(ids)));
                assertArrayEquals(Torch.toFloats(clip.imageEmbeds(images)), Torch.toFloats(loaded.imageEmbeds(images)));
                assertArrayEquals(new long[] {3, 128}, Torch.shape(loaded.imageEmbeds(images)));
            }
        }
    }
}
