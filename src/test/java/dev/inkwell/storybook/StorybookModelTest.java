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
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.world.Colour;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Subject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The committed default model, loaded as any diffusers folder is, draws what it is asked for. */
class StorybookModelTest {

    @Test
    void committedModelLoadsThroughTheNormalLoader() throws Exception {
        Path folder = StorybookModel.folder();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32); Clip clip = Clip.load(folder)) {
            assertEquals(ModelFamily.SD1, sd.family());
            assertEquals(64, sd.nativeSize());
            assertEquals(49408, sd.textEncoder().config().vocabSize());
            assertEquals(77, sd.tokenizer().maxLength());
            // Its own sampler: fresh noise at every step draws the right subject more often (docs/storybook-model.md).
            assertEquals(SchedulerKind.EULER_A, sd.defaultScheduler());
        }
        long bytes;
        try (var files = Files.walk(folder)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertTrue(bytes <= 40L << 20, "the default model takes " + bytes + " bytes");
    }

    /** Colour and setting of a short generation match the prompt. */
    @Test
    void shortGenerationDrawsTheColourAndSettingOfEachPrompt() {
        assertColoursAndSettings(r -> r);
    }

    private static void assertColoursAndSettings(UnaryOperator<GenerationRequest> edit) {
        Colour[] colours = {Colour.RED, Colour.BLUE, Colour.YELLOW, Colour.GREEN};
        Setting[] settings = {Setting.SNOW, Setting.FOREST, Setting.BEACH, Setting.DESERT};
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < colours.length; i++) {
            prompts.add("a " + colours[i].word() + " " + Subject.values()[i].word() + " " + settings[i].phrases().get(0));
        }
        JudgeOutput judged = generateAndJudge(prompts, edit);
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(colours[i], judged.get(i).get(Attribute.COLOUR).value(), prompts.get(i));
            assertEquals(settings[i], judged.get(i).get(Attribute.SETTING).value(), prompts.get(i));
        }
    }

    /**
     * The same with DDIM, which diffusers lets clip its x0 estimates to [-1, 1] unless the config says
     * otherwise; clipped, this model's unit-variance latents came out as night skies under any prompt.
     */
    @Test
    void ddimDrawsTheColourAndSettingOfEachPromptToo() {
        assertColoursAndSettings(r -> r.withScheduler(SchedulerKind.DDIM));
    }

    /**
     * The subject of a short generation, one prompt per subject, matches the prompt far more often
     * than the one-in-eight of chance, though not yet always (94.5 % of 200 prompts in
     * docs/storybook-model.md).
     */
    @Test
    void shortGenerationDrawsTheSubjectOfMostPrompts() {
        assertSubjectsMostlyRight(r -> r);
    }

    /**
     * The same with the negative prompt "red" at the model's own negative scale (its request's default):
     * subjects kept, and the images judged red at most a third of those without it, the measure.
     * Not none: a few figures stay red at any scale (here the fish, up to scale 4; 5 and 2 % of the
     * eval's two sets of 100 pictures, docs/storybook-model.md).
     */
    @Test
    void aRedNegativePromptAtTheModelsScaleRemovesRedAndKeepsTheSubjects() {
        long without = red(assertSubjectsMostlyRight(r -> r));
        long with = red(assertSubjectsMostlyRight(r -> r.withNegativePrompt("red")));
        assertTrue(without >= 3 && 3 * with <= without, with + " of 8 judged red with the negative prompt, " + without + " without");
    }

    private static long red(JudgeOutput judged) {
        return IntStream.range(0, judged.images().size())
                .filter(i -> judged.get(i).get(Attribute.COLOUR).value() == Colour.RED).count();
    }

    /** One prompt per subject, "a fox in a meadow" etc.: at least 6 of 8 subjects right. */
    private static JudgeOutput assertSubjectsMostlyRight(UnaryOperator<GenerationRequest> edit) {
        List<String> prompts = Arrays.stream(Subject.values()).map(s -> "a " + s.word() + " in a meadow").toList();
        JudgeOutput judged = generateAndJudge(prompts, edit);
        List<Object> drawn = new ArrayList<>();
        int right = 0;
        for (int i = 0; i < prompts.size(); i++) {
            Object subject = judged.get(i).get(Attribute.SUBJECT).value();
            drawn.add(subject);
            right += subject == Subject.values()[i] ? 1 : 0;
        }
        assertTrue(right >= 6, right + " of 8 subjects right: " + drawn);
        return judged;
    }

    /** A library caller gets the scales the CLI and the eval use; all else is {@link GenerationRequest#of}'s. */
    @Test
    void requestCarriesTheModelsOwnScales() {
        GenerationRequest request = StorybookModel.request("a red fox");
        assertEquals(6, request.guidance());
        assertEquals(2.0, request.negativeGuidance());
        assertEquals(GenerationRequest.of("a red fox").withGuidance(6).withNegativeGuidance(2.0), request);
    }

    /** The committed model's images for {@code prompts} (its own request: 20 steps, guidance 6, seeds from 7, then {@code edit}), judged. */
    private static JudgeOutput generateAndJudge(List<String> prompts, UnaryOperator<GenerationRequest> edit) {
        Path folder = StorybookModel.folder();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32);
                Judge judge = Judge.load(folder.resolve(StorybookTraining.JUDGE))) {
            GenerationResult result = new TextToImage(sd).generate(edit.apply(StorybookModel.request(prompts.get(0))
                    .withPrompts(prompts).withSteps(20).withSeed(7)), ProgressListener.NONE);
            return judge.predict(result.images().toArray(BufferedImage[]::new));
        }
    }
}
