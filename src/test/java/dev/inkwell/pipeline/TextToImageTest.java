package dev.inkwell.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.scheduler.Scheduler;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.unet.Conditioning;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole generations on the tiny reference models: guidance, batches, masks, seeds, img2img. */
class TextToImageTest {
    private static final String PROMPT = "a photo of an astronaut riding a horse on mars";
    private static final String LONG_PROMPT = String.join(", ", java.util.Collections.nCopies(30, "a red fox"));
    private static StableDiffusion sd15;
    private static StableDiffusion sdxl;

    @BeforeAll
    static void load() {
        sd15 = StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32);
        sdxl = StableDiffusion.load(Goldens.model("sdxl-tiny"), Precision.FLOAT32);
    }

    @AfterAll
    static void close() {
        sd15.close();
        sdxl.close();
    }

    private static GenerationRequest request() {
        return GenerationRequest.of(PROMPT).withSize(64, 48).withSteps(4).withSeed(3);
    }

    private static float[] latents(StableDiffusion model, GenerationRequest r) {
        return new TextToImage(model).generate(r, ProgressListener.NONE).latents();
    }

    @Test
    void modelFamiliesAreRecognised() {
        assertEquals(ModelFamily.SD1, sd15.family());
        assertEquals(ModelFamily.SDXL, sdxl.family());
        assertEquals(SchedulerKind.DDIM, sd15.defaultScheduler());
        assertEquals(SchedulerKind.EULER, sdxl.defaultScheduler());
    }

    @Test
    void guidanceCombinesNegativeThenPositiveRows() {
        // One DDIM step by hand: the UNet on each branch alone, then uncond + g * (cond - uncond).
        double g = 6.0;
        GenerationRequest r = request().withSteps(1).withGuidance(g).withNegativePrompt("blurry")
                .withScheduler(SchedulerKind.DDIM);
        float[] actual = latents(sd15, r);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            PromptEncoder encoder = new PromptEncoder(sd15);
            Tensor negative = encoder.encode(List.of("blurry"), 1).context();
            Tensor positive = encoder.encode(List.of(PROMPT), 1).context();
            Scheduler scheduler = SchedulerKind.DDIM.create(sd15.schedulerConfig());
            Scheduler.Run run = scheduler.start(1);
            float[] noise = new GaussianNoise(3).next(4 * 24 * 32);
            long[] shape = {1, 4, 24, 32};
            Tensor x = Torch.floats(run.scaleModelInput(noise, 0), shape);
            Tensor t = Torch.longs(new long[] {(long) run.timesteps()[0]}, 1);
            float[] uncond = Torch.toFloats(sd15.unet().forward(x, t, Conditioning.text(negative)));
            float[] cond = Torch.toFloats(sd15.unet().forward(x, t, Conditioning.text(positive)));
            float[] guided = new float[uncond.length];
            for (int i = 0; i < guided.length; i++) {
                guided[i] = (float) (uncond[i] + g * (cond[i] - uncond[i]));
            }
            float[] expected = run.step(guided, 0, noise, null).prevSample();
            assertTrue(maxAbsDiff(expected, actual) < 1e-4, "max diff " + maxAbsDiff(expected, actual));
        }
    }

    @Test
    void negativePromptEqualToPromptCancelsGuidanceAndOtherNegativesChangeTheImage() {
        for (StableDiffusion model : new StableDiffusion[] {sd15, sdxl}) {
            GenerationRequest r = request().withScheduler(SchedulerKind.EULER);
            float[] unguided = latents(model, r.withGuidance(1.0));
            float[] cancelled = latents(model, r.withGuidance(6.0).withNegativePrompt(PROMPT));
            float[] negative = latents(model, r.withGuidance(6.0).withNegativePrompt("a green forest"));
            float[] plain = latents(model, r.withGuidance(6.0));
            assertTrue(maxAbsDiff(unguided, cancelled) < 1e-4, model.family() + ": " + maxAbsDiff(unguided, cancelled));
            assertTrue(maxAbsDiff(plain, negative) > 1e-2, model.family() + " a negative prompt changes the result");
            assertTrue(maxAbsDiff(unguided, plain) > 1e-2, model.family() + " guidance changes the result");
        }
    }

    @Test
    void aNegativeBranchOfItsOwnIsReplacementAtScaleGMinusOneAndNoNegativeAtZero() {
        // uncond + g(cond - uncond) - s(neg - uncond) is neg + g(cond - neg) at s = g - 1.
        for (StableDiffusion model : new StableDiffusion[] {sd15, sdxl}) {
            GenerationRequest r = request().withScheduler(SchedulerKind.EULER).withGuidance(6.0);
            GenerationRequest negative = r.withNegativePrompt("a green forest");
            float[] replaced = latents(model, negative);
            float[] plain = latents(model, r);
            float[] atGMinusOne = latents(model, negative.withNegativeGuidance(5.0));
            float[] atZero = latents(model, negative.withNegativeGuidance(0.0));
            float[] gentle = latents(model, negative.withNegativeGuidance(2.0));
            assertTrue(maxAbsDiff(replaced, atGMinusOne) < 1e-4, model.family() + ": " + maxAbsDiff(replaced, atGMinusOne));
            assertTrue(maxAbsDiff(plain, atZero) < 1e-4, model.family() + ": " + maxAbsDiff(plain, atZero));
            assertTrue(maxAbsDiff(gentle, plain) > 1e-2 && maxAbsDiff(gentle, replaced) > 1e-2,
                    model.family() + " scale 2 lies between");
            // In a batch, an image without a negative prompt is guided as if none were given.
            GenerationRequest batch = r.withPrompts(List.of(PROMPT, "a cat"))
                    .withNegativePrompts(Arrays.asList("a green forest", null)).withNegativeGuidance(2.0);
            float[] both = latents(model, batch);
            float[] first = Arrays.copyOfRange(both, 0, both.length / 2);
            float[] second = Arrays.copyOfRange(both, both.length / 2, both.length);
            float[] catAlone = latents(model, r.withPrompts(List.of("a cat")).withSeed(4));
            assertTrue(maxAbsDiff(gentle, first) < 1e-4, model.family() + ": " + maxAbsDiff(gentle, first));
            assertTrue(maxAbsDiff(catAlone, second) < 1e-4, model.family() + ": " + maxAbsDiff(catAlone, second));
        }
    }

    @Test
    void perImagePromptsInABatchEqualRunsOneByOneEvenWhenLengthsDiffer() {
        for (StableDiffusion model : new StableDiffusion[] {sd15, sdxl}) {
            List<String> prompts = List.of(PROMPT, LONG_PROMPT, "a cat");
            List<String> negatives = Arrays.asList("blurry", null, LONG_PROMPT + ", blurry");
            GenerationRequest batch = request().withPrompts(prompts).withNegativePrompts(negatives).withGuidance(5.0);
            float[] together = latents(model, batch);
            int per = together.length / 3;
            for (int i = 0; i < 3; i++) {
                GenerationRequest alone = request().withPrompts(List.of(prompts.get(i)))
                        .withNegativePrompts(Arrays.asList(negatives.get(i))).withGuidance(5.0).withSeed(3 + i);
                float[] one = latents(model, alone);
                float[] slice = Arrays.copyOfRange(together, i * per, (i + 1) * per);
                assertTrue(maxAbsDiff(one, slice) < 1e-4, model.family() + " image " + i + ": " + maxAbsDiff(one, slice));
            }
        }
    }

    @Test
    void longPromptsAreEncodedInChunksAndMaskedWhenPadded() {
        PromptEmbeddings e = new PromptEncoder(sd15).encode(List.of(PROMPT, LONG_PROMPT), 1);
        long chunks = (long) Math.ceil(sd15.tokenizer().bpeTokens(LONG_PROMPT).size() / 75.0);
        assertTrue(chunks >= 2);
        assertArrayEquals(new long[] {2, 77 * chunks, 32}, Torch.shape(e.context()));
        float[] mask = Torch.toFloats(e.mask());
        for (int j = 0; j < 77 * chunks; j++) {
            assertEquals(j < 77 ? 1f : 0f, mask[j], "short row, key " + j);
            assertEquals(1f, mask[Math.toIntExact(77 * chunks + j)], "long row, key " + j);
        }
        assertEquals(null, new PromptEncoder(sd15).encode(List.of(PROMPT, "a cat"), 1).mask(), "no mask when lengths agree");
    }

    @Test
    void clipSkipPicksTheLayerAsAutomatic1111() {
        try (Goldens.File golden = new Goldens.File("sd15-tiny-text_encoder");
                NoGradGuard noGrad = new NoGradGuard()) {
            Tensor last = new PromptEncoder(sd15).encode(List.of(PROMPT), 1).context();
            Tensor skip2 = new PromptEncoder(sd15).encode(List.of(PROMPT), 2).context();
            Goldens.assertClose(golden.tensor("last_hidden_state").narrow(0, 1, 1), last, 1e-4, "clip skip 1");
            Tensor penultimate = golden.tensor("penultimate_hidden_state").narrow(0, 1, 1);
            Goldens.assertClose(sd15.textEncoder().finalLayerNorm(penultimate), skip2, 1e-4, "clip skip 2");
        }
    }

    @Test
    void sameSeedGivesSameImageAndGivenNoiseReplacesTheSeededNoise() {
        GenerationResult a = new TextToImage(sd15).generate(request(), ProgressListener.NONE);
        float[] b = latents(sd15, request());
        float[] other = latents(sd15, request().withSeed(4));
        assertArrayEquals(a.latents(), b);
        assertTrue(maxAbsDiff(a.latents(), other) > 0.1);
        float[] noise = new GaussianNoise(3).next(a.latents().length);
        assertArrayEquals(a.latents(), latents(sd15, request().withSeed(999).withInitNoise(noise)));
        assertArrayEquals(new long[] {1, 4, 24, 32}, a.latentShape());
        assertEquals(64, a.images().get(0).getWidth());
        assertEquals(48, a.images().get(0).getHeight());
    }

    @Test
    void img2imgAtFullStrengthIsTxt2imgAndLowerStrengthRunsPartOfTheSchedule() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
            }
        }
        float[] txt2img = latents(sd15, request());
        assertArrayEquals(txt2img, latents(sd15, request().withInitImage(image, 1.0)));
        List<Integer> steps = new ArrayList<>();
        GenerationRequest half = request().withSteps(10).withInitImage(image, 0.5);
        float[] fromImage = new TextToImage(sd15).generate(half, (step, total) -> steps.add(total)).latents();
        assertEquals(List.of(5, 5, 5, 5, 5), steps);
        BufferedImage other = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        assertTrue(maxAbsDiff(fromImage, latents(sd15, request().withSteps(10).withInitImage(other, 0.5))) > 1e-2,
                "the init image matters");
    }

    @Test
    void everySchedulerRunsAndReportsProgress() {
        for (SchedulerKind kind : SchedulerKind.values()) {
            // One report per UNet call: PNDM's Runge-Kutta start (this DDIM config does not skip it, as
            // diffusers' from_config would not) takes 12 calls for the first three of the 4 steps.
            int expected = kind == SchedulerKind.PNDM ? 13 : 4;
            int[] calls = {0};
            GenerationResult r = new TextToImage(sd15).generate(request().withScheduler(kind).withNegativePrompt("blurry"),
                    (step, total) -> {
                        calls[0]++;
                        assertEquals(expected, total);
                    });
            assertEquals(expected, calls[0], kind.cliName());
            for (float v : r.latents()) {
                assertTrue(Float.isFinite(v), kind.cliName() + " gives finite latents");
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
