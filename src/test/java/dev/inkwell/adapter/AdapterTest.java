package dev.inkwell.adapter;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapters in diffusers' formats: the reference pair loads and generates what diffusers generated with it. */
class AdapterTest {
    private static final Path P1 = Goldens.reference("adapters/p1");

    /** The adapter files of p1 alone (the reference folder also holds the run's initial latents). */
    static Path p1(Path dir) throws java.io.IOException {
        Path folder = Files.createDirectories(dir.resolve("p1"));
        Files.copy(P1.resolve(AdapterFiles.WEIGHTS), folder.resolve(AdapterFiles.WEIGHTS));
        Files.copy(P1.resolve("new1.safetensors"), folder.resolve("new1.safetensors"));
        return folder;
    }

    /** The p1 adapter, DDIM, 10 steps, guidance 6, "a <new1> dog is swimming", as diffusers ran it. */
    static float[] adapterRun(Adapter adapter) {
        float[] init;
        try (SafeTensors st = SafeTensors.open(P1.resolve("init_latents.safetensors"))) {
            init = st.floats("latents");
        }
        try (StableDiffusion sd = StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32,
                LoadOptions.DEFAULT.withAdapters(List.of(adapter)))) {
            GenerationRequest request = GenerationRequest.of("a <new1> dog is swimming").withNegativePrompt("")
                    .withScheduler(SchedulerKind.DDIM).withSteps(10).withGuidance(6).withInitNoise(init);
            return new TextToImage(sd).generate(request, ProgressListener.NONE).latents();
        }
    }

    @Test
    void theReferenceAdapterGeneratesWhatDiffusersGenerated(@TempDir Path dir) throws Exception {
        Adapter adapter = AdapterFiles.read(p1(dir));
        assertEquals(List.of("<new1>"), List.copyOf(adapter.tokens().keySet()));
        assertEquals(6, adapter.keyValues().size());
        try (Goldens.File golden = new Goldens.File("personalize-p1")) {
            assertClose(golden.tensor("adapter_run/final_latents"), Torch.floats(adapterRun(adapter), 1, 4, 32, 32), 1e-4,
                    "final latents");
        }
    }

    @Test
    void writtenAdaptersReadBackTheSame(@TempDir Path tmp) throws Exception {
        Adapter adapter = AdapterFiles.read(p1(tmp));
        Path dir = tmp.resolve("ours");
        AdapterFiles.write(adapter, dir, "{}", false);
        assertTrue(Files.exists(dir.resolve("new1.safetensors")));
        try (SafeTensors ours = SafeTensors.open(dir.resolve(AdapterFiles.WEIGHTS));
                SafeTensors theirs = SafeTensors.open(P1.resolve(AdapterFiles.WEIGHTS))) {
            assertEquals(theirs.entries().keySet(), ours.entries().keySet());
            assertEquals(theirs.metadata(), ours.metadata());
            for (String key : theirs.entries().keySet()) {
                assertArrayEquals(theirs.entries().get(key).shape(), ours.entries().get(key).shape());
                assertEquals(theirs.entries().get(key).dtype(), ours.entries().get(key).dtype());
                assertArrayEquals(theirs.floats(key), ours.floats(key));
            }
        }
        try (SafeTensors ours = SafeTensors.open(dir.resolve("new1.safetensors"));
                SafeTensors theirs = SafeTensors.open(P1.resolve("new1.safetensors"))) {
            assertEquals(theirs.entries().get("<new1>").dtype(), ours.entries().get("<new1>").dtype());
            assertArrayEquals(theirs.entries().get("<new1>").shape(), ours.entries().get("<new1>").shape());
            assertArrayEquals(theirs.floats("<new1>"), ours.floats("<new1>"));
        }
        Adapter again = AdapterFiles.read(dir);
        assertArrayEquals(adapterRun(adapter), adapterRun(again));
    }

    @Test
    void theOriginalsNamesAndPicklesAreReadByContent(@TempDir Path dir) throws Exception {
        // ClassDiffusion writes safetensors bytes as "<new1>.bin".
        Files.copy(P1.resolve("new1.safetensors"), dir.resolve("new1.bin"));
        assertEquals(List.of("<new1>"), List.copyOf(AdapterFiles.read(dir).tokens().keySet()));
        Files.copy(P1.resolve("pickle").resolve(AdapterFiles.PICKLED_WEIGHTS), dir.resolve(AdapterFiles.PICKLED_WEIGHTS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdapterFiles.read(dir));
        assertTrue(e.getMessage().contains("is a PyTorch pickle, which Inkwell never opens")
                && e.getMessage().contains(AdapterFiles.WEIGHTS), e.getMessage());
    }

    /**
     * An SDXL embedding ({@code clip_l} and {@code clip_g} rows, the token named by the file) gives
     * each text encoder its own row: a token whose rows are those of "dog" draws what "dog" draws.
     */
    @Test
    void sdxlEmbeddingsGiveEachTextEncoderItsRow(@TempDir Path dir) throws Exception {
        Path model = Goldens.model("sdxl-tiny");
        int dog = 1929;
        float[] first = vocabularyRow(model.resolve("text_encoder/model.safetensors"), dog);
        float[] second = vocabularyRow(model.resolve("text_encoder_2/model.safetensors"), dog);
        Path folder = Files.createDirectories(dir.resolve("dogx"));
        SafeTensorsWriter.write(folder.resolve("dogx.safetensors"), Map.of(
                "clip_l", SafeTensorsWriter.Tensor.ofFloats(new long[] {1, first.length}, first),
                "clip_g", SafeTensorsWriter.Tensor.ofFloats(new long[] {1, second.length}, second)));
        Adapter adapter = AdapterFiles.read(folder);
        assertEquals(List.of("<dogx>"), List.copyOf(adapter.secondTokens().keySet()));
        assertArrayEquals(first, adapter.tokens().get("<dogx>"));
        assertArrayEquals(second, adapter.secondTokens().get("<dogx>"));

        float[] learned = sdxlLatents(model, List.of(adapter), "a photo of a <dogx> in the snow");
        float[] word = sdxlLatents(model, List.of(), "a photo of a dog in the snow");
        assertClose(Torch.floats(word, word.length), Torch.floats(learned, learned.length), 1e-6, "latents");

        Path written = dir.resolve("written");
        AdapterFiles.write(adapter, written, null, false);
        Adapter again = AdapterFiles.read(written);
        assertArrayEquals(second, again.secondTokens().get("<dogx>"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32, LoadOptions.DEFAULT.withAdapters(List.of(adapter))));
        assertEquals("the adapter's token <dogx> is an SDXL embedding (clip_l and clip_g rows); this model is SD 1.x/2.x", e.getMessage());
        Adapter sd15 = AdapterFiles.read(p1(dir));
        e = assertThrows(IllegalArgumentException.class,
                () -> StableDiffusion.load(model, Precision.FLOAT32, LoadOptions.DEFAULT.withAdapters(List.of(new Adapter(sd15.tokens(), Map.of())))));
        assertEquals("the adapter's token <new1> has one embedding row, for SD 1.x/2.x; an SDXL model needs an SDXL embedding"
                + " (clip_l and clip_g rows)", e.getMessage());
    }

    private static float[] vocabularyRow(Path file, int id) {
        try (SafeTensors st = SafeTensors.open(file)) {
            float[] table = st.floats("text_model.embeddings.token_embedding.weight");
            int hidden = (int) st.entries().get("text_model.embeddings.token_embedding.weight").shape()[1];
            return Arrays.copyOfRange(table, id * hidden, (id + 1) * hidden);
        }
    }

    private static float[] sdxlLatents(Path model, List<Adapter> adapters, String prompt) {
        try (StableDiffusion sd = StableDiffusion.load(model, Precision.FLOAT32, LoadOptions.DEFAULT.withAdapters(adapters))) {
            GenerationRequest request = GenerationRequest.of(prompt).withSteps(3).withSeed(5);
            return new TextToImage(sd).generate(request, ProgressListener.NONE).latents();
        }
    }
}
