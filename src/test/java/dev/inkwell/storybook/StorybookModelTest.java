package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.clip.Clip;
import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.JudgeOutput;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.GenerationResult;
import dev.inkwell.pipeline.ModelFamily;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.tensor.Precision;
import dev.inkwell.world.Subject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed default model, loaded as any diffusers folder is, draws what it is asked for. */
class StorybookModelTest {

    @Test
    void committedModelLoadsThroughTheNormalLoader() throws Exception {
        Path folder = StorybookModel.folder();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32); Clip clip = Clip.load(folder)) {
            assertEquals(ModelFamily.SD1, sd.family());
            assertEquals(64, sd.unet().config().sampleSize() * sd.vaeScale());
            assertEquals(49408, sd.textEncoder().config().vocabSize());
            assertEquals(77, sd.tokenizer().maxLength());
        }
        long bytes;
        try (var files = Files.walk(folder)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertTrue(bytes <= 40L << 20, "the default model takes " + bytes + " bytes");
    }

    @Test
    void shortGenerationDrawsTheSubjectOfEachPrompt() {
        List<String> prompts = Arrays.stream(Subject.values()).map(s -> "a photo of a " + s.word()).toList();
        Path folder = StorybookModel.folder();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32);
                Judge judge = Judge.load(folder.resolve(StorybookTraining.JUDGE))) {
            GenerationResult result = new TextToImage(sd).generate(GenerationRequest.of(prompts.get(0))
                    .withPrompts(prompts).withSteps(20).withGuidance(6).withSeed(7), ProgressListener.NONE);
            JudgeOutput judged = judge.predict(result.images().toArray(BufferedImage[]::new));
            int right = 0;
            for (int i = 0; i < prompts.size(); i++) {
                right += judged.get(i).get(Attribute.SUBJECT).value() == Subject.values()[i] ? 1 : 0;
            }
            assertTrue(right >= prompts.size() - 1, right + " of " + prompts.size() + " subjects drawn as asked");
        }
    }
}
