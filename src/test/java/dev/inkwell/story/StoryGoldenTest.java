package dev.inkwell.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.Guidance.Branch;
import dev.inkwell.pipeline.GuidanceRows;
import dev.inkwell.pipeline.PromptEmbeddings;
import dev.inkwell.pipeline.PromptEncoder;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.prompt.TokenRange;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Case story-s1: the original 1Prompt1Story code on the sdxl-tiny reference pipeline. */
class StoryGoldenTest {
    static final Story S1 = new Story("A photo of a red fox with coat",
            List.of("wearing a scarf in a meadow", "playing in the snow", "at the edge of a village with river"));
    private static StableDiffusion sdxl;
    private static Goldens.File golden;

    @BeforeAll
    static void load() {
        sdxl = StableDiffusion.load(Goldens.model("sdxl-tiny"), Precision.FLOAT32);
        golden = new Goldens.File("story-s1");
    }

    @AfterAll
    static void close() {
        golden.close();
        sdxl.close();
    }

    /** The golden's settings: 64 px, 10 Euler steps, guidance 5, its initial noise for every frame. */
    static GenerationRequest s1Generation(float[] noise) {
        return GenerationRequest.of("").withSize(64, 64).withSteps(10).withGuidance(5.0).withSeed(42).withInitNoise(noise);
    }

    @Test
    void tokenRangesAreTheOriginals() {
        List<FramePlan> plans = new StoryTeller(new TextToImage(sdxl)).plan(S1, StorySettings.defaults());
        assertEquals(3, plans.size());
        FramePlan first = plans.get(0);
        assertEquals("A photo of a red fox with coat wearing a scarf in a meadow playing in the snow at the edge of a village with river",
                first.prompt().text());
        TokenRanges ranges = new TokenRanges(sdxl.tokenizer(), new PromptChunker(sdxl.tokenizer()).chunk(first.prompt()));
        assertEquals(new TokenRange(1, 9), ranges.of(S1.identity()));
        assertEquals(new TokenRange(9, 15), ranges.of(S1.frames().get(0)));
        assertEquals(new TokenRange(15, 19), ranges.of(S1.frames().get(1)));
        assertEquals(new TokenRange(19, 27), ranges.of(S1.frames().get(2)));
        assertEquals(50, ranges.endOfText().size());
        assertEquals(27, ranges.endOfText().get(0));
        long[] ids = golden.longs("input_ids");
        int[] ours = new PromptChunker(sdxl.tokenizer()).chunk(first.prompt()).chunks().get(0).ids();
        assertEquals(Arrays.toString(Arrays.copyOfRange(ids, 0, 77)), Arrays.toString(Arrays.stream(ours).asLongStream().toArray()));
        assertEquals(List.of("playing in the snow", "at the edge of a village with river"), first.suppress());
        assertEquals(List.of("wearing a scarf in a meadow", "at the edge of a village with river"), plans.get(1).suppress());
    }

    @Test
    void svrEditsEachEncodersStatesAsTheOriginal() {
        PromptEncoder encoder = new PromptEncoder(sdxl);
        GuidanceRows rows = new GuidanceRows(List.of(Branch.NEGATIVE, Branch.POSITIVE), 1);
        List<FramePlan> plans = new StoryTeller(new TextToImage(sdxl)).plan(S1, StorySettings.defaults());
        Tensor unedited = golden.tensor("prompt_embeds_unedited");
        Tensor edited = golden.tensor("prompt_embeds");
        for (FramePlan plan : plans) {
            PromptEmbeddings text = encoder.encodePrompts(Arrays.asList(null, plan.prompt()), 1);
            Goldens.assertClose(unedited.select(0, plan.frame()), text.context().select(0, 1), 1e-5, "unedited, frame " + plan.frame());
            Goldens.assertClose(golden.tensor("pooled_prompt_embeds").select(0, plan.frame()), text.pooled().select(0, 1), 1e-5,
                    "pooled, frame " + plan.frame());
            PromptEmbeddings svr = new StoryConditioning(plan, StorySettings.defaults().withIpca(false, 0), 1, 42)
                    .edit(text, rows, encoder);
            assertRelative(edited.select(0, plan.frame()), svr.context().select(0, 1), "SVR, frame " + plan.frame());
            Goldens.assertClose(text.context().select(0, 0), svr.context().select(0, 0), 0, "the negative row is not edited");
        }
        PromptEmbeddings id = encoder.encodePrompts(List.of(Prompt.of(S1.identity())), 1);
        Goldens.assertClose(golden.tensor("id_prompt_embeds"), id.context(), 1e-5, "identity prompt alone");
    }

    @Test
    void everyFramesFinalLatentsAreTheOriginals() {
        List<StoryFrame> frames = new StoryTeller(new TextToImage(sdxl)).tell(S1, StorySettings.defaults(),
                s1Generation(golden.floats("init_latents")), null, StoryTeller.FrameListener.NONE, StoryTeller.StoryProgress.NONE);
        Tensor expected = golden.tensor("final_latents");
        for (StoryFrame f : frames) {
            assertRelative(expected.select(0, f.index()), Torch.floats(f.latents(), 4, 32, 32), "final latents, frame " + f.index());
        }
    }

    /** max |diff| / max |reference| within 1e-4, the measure. */
    static void assertRelative(Tensor expected, Tensor actual, String what) {
        double scale = expected.abs().max().item_double();
        Goldens.assertClose(expected, actual.reshape(expected.sizes().vec().get()), 1e-4 * scale, what);
    }
}
