package dev.inkwell.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.testing.Goldens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole text-to-image runs on the tiny reference models: seeds, given noise and guidance. */
class TextToImageTest {
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

    private static GenerationRequest request(String negative, double guidance, long seed, float[] noise, SchedulerKind kind) {
        return new GenerationRequest("a photo of an astronaut riding a horse on mars", negative, 64, 48, 4,
                guidance, kind, seed, 1, noise);
    }

    @Test
    void modelFamiliesAreRecognised() {
        assertEquals(ModelFamily.SD1, sd15.family());
        assertEquals(ModelFamily.SDXL, sdxl.family());
        assertEquals(SchedulerKind.DDIM, sd15.defaultScheduler());
        assertEquals(SchedulerKind.EULER, sdxl.defaultScheduler());
    }

    @Test
    void sameSeedGivesSameLatentsAndOtherSeedsDiffer() {
        TextToImage t2i = new TextToImage(sd15);
        float[] a = t2i.generate(request(null, 7.5, 42, null, null), ProgressListener.NONE).latents();
        float[] b = t2i.generate(request(null, 7.5, 42, null, null), ProgressListener.NONE).latents();
        float[] c = t2i.generate(request(null, 7.5, 43, null, null), ProgressListener.NONE).latents();
        assertArrayEquals(a, b);
        assertTrue(maxAbsDiff(a, c) > 0.1, "another seed gives other latents");
    }

    @Test
    void givenInitialNoiseReplacesTheSeededNoise() {
        TextToImage t2i = new TextToImage(sd15);
        GenerationResult seeded = t2i.generate(request(null, 7.5, 7, null, null), ProgressListener.NONE);
        float[] noise = new GaussianNoise(7).next(seeded.latents().length);
        GenerationResult given = t2i.generate(request(null, 7.5, 999, noise, null), ProgressListener.NONE);
        assertArrayEquals(seeded.latents(), given.latents());
        assertArrayEquals(new long[] {1, 4, 24, 32}, given.latentShape());
        assertEquals(64, given.images().get(0).getWidth());
        assertEquals(48, given.images().get(0).getHeight());
    }

    @Test
    void negativePromptEqualToPromptCancelsGuidance() {
        for (StableDiffusion model : new StableDiffusion[] {sd15, sdxl}) {
            TextToImage t2i = new TextToImage(model);
            String prompt = "a photo of an astronaut riding a horse on mars";
            float[] unguided = t2i.generate(request(null, 1.0, 3, null, SchedulerKind.EULER), ProgressListener.NONE).latents();
            float[] cancelled = t2i.generate(request(prompt, 6.0, 3, null, SchedulerKind.EULER), ProgressListener.NONE).latents();
            float[] guided = t2i.generate(request(null, 6.0, 3, null, SchedulerKind.EULER), ProgressListener.NONE).latents();
            assertTrue(maxAbsDiff(unguided, cancelled) < 1e-3, model.family() + ": " + maxAbsDiff(unguided, cancelled));
            assertTrue(maxAbsDiff(unguided, guided) > 1e-2, model.family() + " guidance changes the result");
        }
    }

    @Test
    void everySchedulerRunsAndProgressIsReported() {
        TextToImage t2i = new TextToImage(sd15);
        for (SchedulerKind kind : SchedulerKind.values()) {
            int[] calls = {0};
            GenerationResult r = t2i.generate(request("blurry", 5.0, 1, null, kind), (step, total) -> {
                calls[0]++;
                assertEquals(4, total);
            });
            assertEquals(4, calls[0], kind.cliName());
            for (float v : r.latents()) {
                assertTrue(Float.isFinite(v), kind.cliName() + " gives finite latents");
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
