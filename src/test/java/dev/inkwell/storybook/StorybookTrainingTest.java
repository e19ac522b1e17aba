package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.clip.Clip;
import dev.inkwell.clip.ClipTrainer;
import dev.inkwell.judge.JudgeTrainer;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.tensor.Precision;
import dev.inkwell.train.VaeTrainer;
import dev.inkwell.weights.DType;
import dev.inkwell.weights.SafeTensors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole storybook run in miniature: two steps per stage, then the float16 export. */
class StorybookTrainingTest {

    private static StorybookTraining.Settings tiny(long seed) {
        VaeTrainer.Settings vae = VaeTrainer.Settings.defaults(seed, 2);
        return new StorybookTraining.Settings(seed,
                new JudgeTrainer.Settings(seed, 4, 2, 1e-3, 1, 1.0, 0.5, 2.0 / 3, 0.99, 1, 1),
                new ClipTrainer.Settings(seed, 2, 8, 1e-3, 1, 1.0, 1.0, 1, 1),
                new VaeTrainer.Settings(vae.config(), seed, 2, 2, 1e-3, 1, 1e-6, 1.0, 1.0, 0.99, 1, 1),
                new StorybookTraining.UNetSettings(2, 2, 32, 1e-3, 1, 0.1, 0.99, 5, 2, 4, 1, 1));
    }

    @Test
    void trainsEveryStageIntoALoadableModelSkipsFinishedStagesAndExportsFloat16(@TempDir Path dir) throws Exception {
        StringWriter first = new StringWriter();
        StorybookTraining.run(dir, tiny(3), new PrintWriter(first));
        Path model = dir.resolve(StorybookTraining.MODEL);
        for (String stage : new String[] {"clip step 2/2", "vae step 2/2", "unet step 2/2", "judge step 2/2"}) {
            assertTrue(first.toString().contains(stage), stage + " in\n" + first);
        }
        Set<String> stages = Files.readAllLines(dir.resolve("losses.csv")).stream().skip(1)
                .map(line -> line.split(",")[0]).collect(Collectors.toSet());
        assertEquals(Set.of("clip", "vae", "unet", "judge"), stages);
        assertTrue(Files.size(dir.resolve("losses.png")) > 0);

        StringWriter second = new StringWriter();
        StorybookTraining.run(dir, tiny(3), new PrintWriter(second));
        assertFalse(second.toString().contains("step"), "a finished run trains nothing again:\n" + second);

        try (StableDiffusion sd = StableDiffusion.load(model, Precision.FLOAT32); Clip clip = Clip.load(model)) {
            assertEquals(16, sd.unet().config().sampleSize());
            assertEquals(4, sd.vaeScale());
            assertEquals(StorybookConfigs.TEXT_WIDTH, clip.vision().config().projectionDim());
        }

        Path exported = dir.resolve(StorybookTraining.SHIPPED);
        assertFalse(Files.exists(exported.resolve("unet-training.safetensors")));
        assertFalse(Files.exists(exported.resolve("judge/checkpoint.safetensors")));
        try (SafeTensors unet = SafeTensors.open(exported.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            assertTrue(unet.entries().values().stream().allMatch(e -> e.dtype() == DType.F16));
        }
        try (StableDiffusion sd = StableDiffusion.load(exported, Precision.FLOAT32)) {
            assertEquals(16, sd.unet().config().sampleSize());
        }
        String manifest = Files.readString(exported.resolve("files.txt"));
        assertTrue(manifest.contains("  unet/diffusion_pytorch_model.safetensors"), manifest);
        assertTrue(manifest.contains("  tokenizer/LICENSE"), "the vocabulary's licence travels with it:\n" + manifest);
    }
}
