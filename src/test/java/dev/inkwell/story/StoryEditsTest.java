package dev.inkwell.story;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.nn.Attention;
import dev.inkwell.nn.AttentionProcessor;
import dev.inkwell.nn.AttentionProcessors;
import dev.inkwell.nn.Ops;
import dev.inkwell.pipeline.Guidance.Branch;
import dev.inkwell.pipeline.GuidanceRows;
import dev.inkwell.pipeline.PromptEmbeddings;
import dev.inkwell.pipeline.PromptEncoder;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.prompt.PromptChunker;
import dev.inkwell.prompt.TokenRange;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.unet.Conditioning;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StoryEditsTest {
    private static StableDiffusion sd15;

    @BeforeAll
    static void load() {
        sd15 = StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32);
    }

    @AfterAll
    static void close() {
        sd15.close();
    }

    @Test
    void svrEqualsTheOriginalsFullMatrixProductInFloat64() {
        Torch.init();
        torch.manual_seed(5);
        for (Reweighting w : List.of(Reweighting.SUPPRESS, Reweighting.EXPRESS, new Reweighting(0.3, 1.7))) {
            Tensor rows = torch.randn(12, 40).mul(new Scalar(3));
            // punish_wight: full SVD of X^T (d x n), U cut to n columns, U diag(s') Vh, transposed back.
            Tensor x = rows.to(ScalarType.Double).t();
            T_TensorTensorTensor_T svd = torch.linalg_svd(x);
            Tensor s = svd.get1();
            Tensor reweighted = s.mul(torch.exp(s.mul(new Scalar(-w.alpha())))).mul(new Scalar(w.beta()));
            Tensor direct = svd.get0().narrow(1, 0, 12).mm(torch.diag(reweighted)).mm(svd.get2()).t();
            double error = SingularValueReweighting.reweight(rows, w).sub(direct).abs().max().item_double();
            assertTrue(error < 1e-9, w + ": " + error);
        }
    }

    @Test
    void alphaZeroBetaOneChangesNothingAndWiderThanTallStaysThin() {
        Torch.init();
        torch.manual_seed(6);
        for (long[] shape : new long[][] {{10, 32}, {54, 32}}) {
            Tensor rows = torch.randn(shape[0], shape[1]);
            Tensor same = SingularValueReweighting.reweight(rows, new Reweighting(0, 1));
            assertTrue(same.sub(rows.to(ScalarType.Double)).abs().max().item_double() < 1e-12, Arrays.toString(shape));
            // More rows than channels: the singular values are still reweighted, the vectors kept.
            Tensor out = SingularValueReweighting.reweight(rows, Reweighting.SUPPRESS);
            double[] before = toDoubles(torch.linalg_svdvals(rows.to(ScalarType.Double)));
            double[] after = toDoubles(torch.linalg_svdvals(out));
            for (int i = 0; i < before.length; i++) {
                assertEquals(Reweighting.SUPPRESS.apply(before[i]), after[i], 1e-9);
            }
        }
    }

    @Test
    void tokenRangesOfRepeatedAndOverlappingFramesAreFirstOccurrences() {
        Story story = new Story("a photo of a fox", List.of("in the snow", "playing in the snow", "in the snow", "a fox"));
        FramePlan plan = StoryWindows.plan(story, 10, WindowRule.TOKENS, sd15.tokenizer()).get(1);
        TokenRanges ranges = new TokenRanges(sd15.tokenizer(), new PromptChunker(sd15.tokenizer()).chunk(plan.prompt()));
        // "a photo of a fox in the snow playing in the snow in the snow a fox"
        assertEquals(new TokenRange(1, 6), ranges.of("a photo of a fox"));
        assertEquals(new TokenRange(6, 9), ranges.of("in the snow"), "frame 3 repeats frame 1: the first occurrence");
        assertEquals(new TokenRange(9, 13), ranges.of("playing in the snow"));
        assertEquals(new TokenRange(4, 6), ranges.of("a fox"), "frame 4's words first occur in the identity prompt");
        // The prompt's parts know their true places.
        var chunked = new PromptChunker(sd15.tokenizer()).chunk(plan.prompt());
        assertEquals("[13, 14, 15]", Arrays.toString(chunked.positions(FramePlan.part(2))));
        assertEquals("[16, 17]", Arrays.toString(chunked.positions(FramePlan.part(3))));
        assertEquals(18, ranges.endOfText().get(0));
        assertEquals(77 - 18, ranges.endOfText().size());
    }

    @Test
    void aStoryLongerThanTheWindowSlidesRoundWithTheCurrentFrameFirst() {
        Story story = new Story("a fox", List.of("f0", "f1", "f2", "f3", "f4"));
        List<FramePlan> plans = StoryWindows.plan(story, 3, WindowRule.TOKENS, sd15.tokenizer());
        assertEquals(List.of(0, 1, 2), plans.get(0).window());
        assertEquals(List.of(3, 4, 0), plans.get(3).window());
        assertEquals(List.of(4, 0, 1), plans.get(4).window());
        assertEquals("a fox f4 f0 f1", plans.get(4).prompt().text());
        assertEquals(List.of("f0", "f1"), plans.get(4).suppress());
        assertEquals("f4", plans.get(4).express());
        // The whole story in the window: one prompt in story order, the others suppressed in order.
        List<FramePlan> all = StoryWindows.plan(story, 10, WindowRule.TOKENS, sd15.tokenizer());
        assertEquals("a fox f0 f1 f2 f3 f4", all.get(3).prompt().text());
        assertEquals(List.of("f0", "f1", "f2", "f4"), all.get(3).suppress());
    }

    @Test
    void theTokenRuleShortensTheWindowToWhatFitsAndRefusesWhatCannot() {
        String frame = "running through a very long and winding forest path at the golden hour";
        Story story = new Story("a photo of a small red fox", List.of(frame, frame + " again", frame + " once more", frame + " at last",
                frame + " slowly", frame + " quickly"));
        List<FramePlan> plans = StoryWindows.plan(story, 10, WindowRule.TOKENS, sd15.tokenizer());
        int length = plans.get(0).window().size();
        assertTrue(length >= 2 && length < 6, "window " + length);
        for (FramePlan p : plans) {
            assertTrue(new PromptChunker(sd15.tokenizer()).chunk(p.prompt()).chunks().size() == 1);
        }
        Story tooLong = new Story(String.join(" ", java.util.Collections.nCopies(80, "fox")), List.of("in the snow"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoryWindows.plan(tooLong, 10, WindowRule.TOKENS, sd15.tokenizer()));
        assertTrue(e.getMessage().contains("no room for a frame"), e.getMessage());
    }

    @Test
    void theIpcaKeyMaskHidesExactlyTheIntendedPositions() {
        try (NoGradGuard g = new NoGradGuard()) {
            Story story = new Story("a photo of a fox", List.of("in the snow", "on the beach"));
            FramePlan plan = StoryWindows.plan(story, 10, WindowRule.TOKENS, sd15.tokenizer()).get(0);
            PromptEncoder encoder = new PromptEncoder(sd15);
            GuidanceRows rows = new GuidanceRows(List.of(Branch.NEGATIVE, Branch.POSITIVE), 1);
            PromptEmbeddings text = encoder.encodePrompts(Arrays.asList(Prompt.of(""), plan.prompt()), 1);
            PromptEmbeddings edited = new StoryConditioning(plan, StorySettings.defaults(), 1, 0).edit(text, rows, encoder);
            assertEquals(154, edited.context().size(1));
            boolean[][] mask = booleans(edited.mask(), 2, 154);
            for (int j = 0; j < 154; j++) {
                assertEquals(j < 77, mask[0][j], "unconditional row, key " + j);
                // Own 77 keys, then the identity's start token and its 5 words ("a photo of a fox").
                assertEquals(j < 77 || (j >= 77 && j <= 77 + 5), mask[1][j], "positive row, key " + j);
            }
            PromptEmbeddings id = encoder.encodePrompts(List.of(Prompt.of("a photo of a fox")), 1);
            Goldens.assertClose(id.context().select(0, 0), edited.context().select(0, 1).narrow(0, 77, 77), 0, "appended identity");
        }
    }

    /**
     * The original's IPCA: an identity pass stores every cross-attention's keys and values, then
     * each frame's conditional branch attends over its own keys followed by the stored ones, masked
     * to the identity's start token and words. One pass over the extended sequence must equal it.
     */
    @Test
    void extendedSequenceIpcaEqualsTheTwoPassOriginal() {
        try (NoGradGuard g = new NoGradGuard()) {
            Story story = new Story("a photo of a fox", List.of("in the snow", "on the beach"));
            FramePlan plan = StoryWindows.plan(story, 10, WindowRule.TOKENS, sd15.tokenizer()).get(1);
            PromptEncoder encoder = new PromptEncoder(sd15);
            GuidanceRows rows = new GuidanceRows(List.of(Branch.NEGATIVE, Branch.POSITIVE), 1);
            PromptEmbeddings text = encoder.encodePrompts(Arrays.asList(Prompt.of(""), plan.prompt()), 1);
            StorySettings settings = StorySettings.defaults();
            PromptEmbeddings edited = new StoryConditioning(plan, settings, 1, 0).edit(text, rows, encoder);
            PromptEmbeddings svrOnly = new StoryConditioning(plan, settings.withIpca(false, 0), 1, 0).edit(text, rows, encoder);
            torch.manual_seed(9);
            Tensor x = torch.randn(2, 4, 16, 16);
            Tensor t = Torch.longs(new long[] {400}, 1);
            Tensor oneFrame = sd15.unet().forward(x, t, new Conditioning(edited.context(), edited.mask(), null, null));

            // Pass 1: the identity prompt alone (its unconditional row empty), keys and values stored per module.
            PromptEmbeddings id = encoder.encodePrompts(Arrays.asList(Prompt.of(""), Prompt.of("a photo of a fox")), 1);
            Map<String, Tensor[]> stored = new HashMap<>();
            AttentionProcessor store = (attn, in, context, mask) -> {
                // Kept past the module's pointer scope, which frees what it made.
                stored.put(attn.path(), new Tensor[] {attn.key(context).narrow(0, 1, 1).clone().retainReference(),
                    attn.value(context).narrow(0, 1, 1).clone().retainReference()});
                return AttentionProcessor.DEFAULT.process(attn, in, context, mask);
            };
            sd15.unet().forward(x, t, Conditioning.text(id.context()).withProcessors(AttentionProcessors.crossAttention(store)));
            assertEquals(6, stored.size(), "cross-attention modules of sd15-tiny");
            // Pass 2: the frame, the conditional row over its keys and the stored ones (SOT and words 1..5).
            Tensor keep = Torch.longs(new long[] {0, 1, 2, 3, 4, 5}, 6);
            AttentionProcessor twoPass = (attn, in, context, mask) -> {
                Tensor[] kv = stored.get(attn.path());
                Tensor q = attn.query(in);
                Tensor k = attn.key(context);
                Tensor v = attn.value(context);
                Tensor uncond = attn.attend(q.narrow(0, 0, 1), k.narrow(0, 0, 1), v.narrow(0, 0, 1), null);
                Tensor cond = attn.attend(q.narrow(0, 1, 1), Ops.cat(1, k.narrow(0, 1, 1), kv[0].index_select(1, keep)),
                        Ops.cat(1, v.narrow(0, 1, 1), kv[1].index_select(1, keep)), null);
                return attn.output(Ops.cat(0, uncond, cond));
            };
            Tensor twoPasses = sd15.unet().forward(x, t,
                    Conditioning.text(svrOnly.context()).withProcessors(AttentionProcessors.crossAttention(twoPass)));
            Goldens.assertClose(twoPasses, oneFrame, 2e-5, "one extended pass against two passes");
        }
    }

    private static boolean[][] booleans(Tensor mask, int rows, int cols) {
        boolean[] v = Torch.toBooleans(mask);
        boolean[][] out = new boolean[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(v, i * cols, out[i], 0, cols);
        }
        return out;
    }

    private static double[] toDoubles(Tensor t) {
        Tensor flat = t.to(ScalarType.Double).flatten();
        double[] d = new double[Math.toIntExact(flat.size(0))];
        for (int i = 0; i < d.length; i++) {
            d[i] = flat.select(0, i).item_double();
        }
        return d;
    }
}
