package dev.inkwell.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.Judgement;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.storybook.StorybookTraining;
import dev.inkwell.tensor.Precision;
import dev.inkwell.world.Subject;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorybookStoryTest {

    @Test
    void aShortStoryOnTheStorybookModelKeepsItsSubject() {
        Path folder = StorybookModel.folder();
        Story story = new Story("a drawing of a cat", List.of("sitting in the snow", "jumping on the beach", "sleeping in a forest"));
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32);
                Judge judge = Judge.load(folder.resolve(StorybookTraining.JUDGE))) {
            List<StoryFrame> streamed = new ArrayList<>();
            List<StoryFrame> frames = new StoryTeller(new TextToImage(sd)).tell(story, StorySettings.defaults(),
                    StorybookModel.request("").withSteps(20).withSeed(7), null, streamed::add, StoryTeller.StoryProgress.NONE);
            assertEquals(frames, streamed, "every frame is streamed as it finishes, in order");
            List<Judgement> judged = judge.predict(frames.stream().map(StoryFrame::image).toArray(BufferedImage[]::new)).images();
            for (int i = 0; i < judged.size(); i++) {
                assertEquals(Subject.CAT, judged.get(i).get(Attribute.SUBJECT).value(), "frame " + (i + 1));
            }
        }
    }

    @Test
    void theCommittedBenchmarkHasEverySubjectAndStoriesLongerThanTheWindow() {
        List<Story> stories = StoryEvaluation.benchmark();
        assertEquals(40, stories.size());
        for (Subject s : Subject.values()) {
            assertTrue(stories.stream().anyMatch(st -> st.identity().endsWith(s.word())), s.word());
        }
        assertTrue(stories.stream().allMatch(s -> s.size() >= 4 && s.size() <= 8));
        Path folder = StorybookModel.folder();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32)) {
            long longer = stories.stream().filter(s -> StoryWindows.plan(s, 10, WindowRule.TOKENS, sd.tokenizer()).get(0).window().size()
                    < s.size()).count();
            assertTrue(longer >= 5, longer + " stories longer than the window");
        }
        for (Story s : stories) {
            assertTrue(s.frames().stream().allMatch(f -> StoryEvaluation.frameNamed(f).containsKey(dev.inkwell.judge.Attribute.SETTING)), s.toString());
        }
    }
}
