package dev.inkwell.checkpoint;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.nn.WeightsMismatchException;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ModelFamily;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.text.TextEncoderOutput;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-file checkpoints written from the tiny reference folders in the original naming load
 * into models that compute exactly what the folder-loaded models compute, and what the Python
 * reference recorded.
 */
class SingleFileCheckpointTest {
    /** Same weights through the same code: the outputs must agree to float rounding, not just closely. */
    private static final double SAME = 1e-6;
    /** Against the Python reference, as the component tests check. */
    private static final double REFERENCE = 1e-4;

    @TempDir
    static Path dir;
    private static Path sd15File;
    private static Path sdxlFile;
    private static Path sd2File;
    private static StableDiffusion sd15Folder;
    private static StableDiffusion sd15Single;
    private static StableDiffusion sdxlFolder;
    private static StableDiffusion sdxlSingle;

    @BeforeAll
    static void writeAndLoad() {
        Path sd15 = Goldens.model("sd15-tiny");
        Path sdxl = Goldens.model("sdxl-tiny");
        sd15File = dir.resolve("sd15-tiny.safetensors");
        new OriginalCheckpointWriter(sd15).unetAndVae().clip("text_encoder", "cond_stage_model.transformer.").write(sd15File);
        sdxlFile = dir.resolve("sdxl-tiny.safetensors");
        new OriginalCheckpointWriter(sdxl).unetAndVae()
                .clip("text_encoder", "conditioner.embedders.0.transformer.")
                .openClip("text_encoder_2", "conditioner.embedders.1.model.", 0)
                .write(sdxlFile);
        // SD 2.x layout: the SD 1.5 tiny encoder in OpenCLIP naming, with the extra last layer SD 2 files hold.
        sd2File = dir.resolve("sd2-tiny.safetensors");
        new OriginalCheckpointWriter(sd15).unetAndVae().openClip("text_encoder", "cond_stage_model.model.", 1)
                .put("cond_stage_model.model.text_projection", SafeTensorsWriter.Tensor.ofFloats(new long[] {32, 16}, new float[512]))
                .write(sd2File);
        sd15Folder = StableDiffusion.load(sd15, Precision.FLOAT32);
        sd15Single = StableDiffusion.load(sd15File, Precision.FLOAT32, new LoadOptions(sd15, null));
        sdxlFolder = StableDiffusion.load(sdxl, Precision.FLOAT32);
        sdxlSingle = StableDiffusion.load(sdxlFile, Precision.FLOAT32, new LoadOptions(sdxl, null));
    }

    @AfterAll
    static void close() {
        for (StableDiffusion sd : new StableDiffusion[] {sd15Folder, sd15Single, sdxlFolder, sdxlSingle}) {
            sd.close();
        }
    }

    @Test
    void writtenFilesAreDetected() {
        assertEquals(CheckpointType.SD1, SingleFileCheckpoint.open(sd15File, null).type());
        assertEquals(CheckpointType.SD2, SingleFileCheckpoint.open(sd2File, null).type());
        assertEquals(CheckpointType.SDXL, SingleFileCheckpoint.open(sdxlFile, null).type());
        assertEquals(ModelFamily.SD1, sd15Single.family());
        assertEquals(ModelFamily.SDXL, sdxlSingle.family());
        assertTrue(sdxlSingle.forceZerosForEmptyPrompt());
        assertEquals(sd15Folder.schedulerConfig(), sd15Single.schedulerConfig());
    }

    @Test
    void sd15TextEncoderMatchesFolderAndReference() {
        try (Goldens.File golden = new Goldens.File("sd15-tiny-text_encoder")) {
            TextEncoderOutput single = encode(sd15Single.textEncoder(), golden);
            assertSameOutputs(encode(sd15Folder.textEncoder(), golden), single, "sd15 text_encoder");
            assertClose(golden.tensor("last_hidden_state"), single.lastHiddenState(), REFERENCE, "sd15 last vs reference");
        }
    }

    @Test
    void sdxlTextEncodersMatchFolderAndReference() {
        try (Goldens.File golden = new Goldens.File("sdxl-tiny-text_encoder");
                Goldens.File golden2 = new Goldens.File("sdxl-tiny-text_encoder_2")) {
            assertSameOutputs(encode(sdxlFolder.textEncoder(), golden), encode(sdxlSingle.textEncoder(), golden), "sdxl text_encoder");
            TextEncoderOutput single = encode(sdxlSingle.textEncoder2(), golden2);
            assertSameOutputs(encode(sdxlFolder.textEncoder2(), golden2), single, "sdxl text_encoder_2");
            assertEquals(3, single.hiddenStates().size() - 1, "OpenCLIP keeps every layer of SDXL's second encoder");
            assertClose(golden2.tensor("text_embeds"), single.textEmbeds(), REFERENCE, "text_embeds vs reference");
            assertClose(golden2.tensor("penultimate_hidden_state"), single.hiddenStateFromEnd(1), REFERENCE, "penultimate vs reference");
        }
    }

    @Test
    void sd2OpenClipEncoderSplitsAttentionAndIgnoresTheExtraLayer() {
        Path sd15 = Goldens.model("sd15-tiny");
        SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(sd2File, sd15);
        try (ClipTextModel single = new ClipTextModel(ClipTextConfig.from(checkpoint.config("text_encoder")),
                        checkpoint.weights("text_encoder"), Precision.FLOAT32);
                Goldens.File golden = new Goldens.File("sd15-tiny-text_encoder")) {
            TextEncoderOutput out = encode(single, golden);
            assertSameOutputs(encode(sd15Folder.textEncoder(), golden), out, "sd2-layout text_encoder");
            assertNull(out.textEmbeds(), "SD 2's encoder has no projection; the stored one is ignored");
        }
        assertEquals(49407, checkpoint.tokenizer("tokenizer").padId(),
                "the config folder's tokenizer (SD 1.5's, padding with end-of-text) replaces SD 2's");
        assertEquals(0, SingleFileCheckpoint.open(sd2File, null).tokenizer("tokenizer").padId(), "SD 2 pads with '!'");
    }

    @Test
    void unetsMatchFolderAndReference() {
        try (Goldens.File golden = new Goldens.File("sd15-tiny-unet")) {
            Conditioning cond = Conditioning.text(golden.tensor("in_encoder_hidden_states"));
            Tensor single = sd15Single.unet().forward(golden.tensor("in_sample"), t500(), cond);
            assertClose(sd15Folder.unet().forward(golden.tensor("in_sample"), t500(), cond), single, SAME, "sd15 unet");
            assertClose(golden.tensor("out_t500"), single, REFERENCE, "sd15 unet vs reference");
        }
        try (Goldens.File golden = new Goldens.File("sdxl-tiny-unet")) {
            Conditioning cond = new Conditioning(golden.tensor("in_encoder_hidden_states"), null,
                    golden.tensor("in_text_embeds"), golden.tensor("in_time_ids"));
            Tensor single = sdxlSingle.unet().forward(golden.tensor("in_sample"), t500(), cond);
            assertClose(sdxlFolder.unet().forward(golden.tensor("in_sample"), t500(), cond), single, SAME, "sdxl unet");
            assertClose(golden.tensor("out_t500"), single, REFERENCE, "sdxl unet vs reference");
        }
    }

    @Test
    void vaesMatchFolderAndReference() {
        try (Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            Tensor z = golden.tensor("in_decode_z");
            Tensor single = sd15Single.vae().decode(z);
            assertClose(sd15Folder.vae().decode(z), single, SAME, "sd15 vae decode");
            assertClose(golden.tensor("out_decode"), single, REFERENCE, "sd15 vae decode vs reference");
            assertClose(sd15Folder.vae().encode(golden.tensor("in_encode_image")).mean(),
                    sd15Single.vae().encode(golden.tensor("in_encode_image")).mean(), SAME, "sd15 vae encode");
            assertClose(sdxlFolder.vae().decode(z), sdxlSingle.vae().decode(z), SAME, "sdxl vae decode");
        }
    }

    @Test
    void generationGivesTheFolderModelsLatents() {
        for (StableDiffusion[] pair : new StableDiffusion[][] {{sd15Folder, sd15Single}, {sdxlFolder, sdxlSingle}}) {
            GenerationRequest request = GenerationRequest.of("a photo of an astronaut riding a horse on mars")
                    .withNegativePrompt("blurry").withSize(64, 48).withSteps(2).withScheduler(SchedulerKind.EULER).withSeed(42);
            float[] folder = new TextToImage(pair[0]).generate(request, ProgressListener.NONE).latents();
            float[] single = new TextToImage(pair[1]).generate(request, ProgressListener.NONE).latents();
            assertArrayEquals(folder, single, pair[0].family() + " latents");
            assertTrue(Math.abs(single[0]) + Math.abs(single[single.length - 1]) > 0, "latents are not all zero");
        }
    }

    @Test
    void standardConfigsAreTheDiffusersOnes() {
        SingleFileCheckpoint sd1 = SingleFileCheckpoint.open(sd15File, null);
        assertEquals(768, UNetConfig.from(sd1.config("unet")).crossAttentionDim());
        assertEquals(12, ClipTextConfig.from(sd1.config("text_encoder")).layers());
        assertEquals(0.18215, VaeConfig.from(sd1.config("vae")).scalingFactor());
        assertEquals("PNDMScheduler", sd1.schedulerConfig().className());
        assertEquals(49407, sd1.tokenizer("tokenizer").padId());

        SingleFileCheckpoint sd2 = SingleFileCheckpoint.open(sd2File, null);
        UNetConfig sd2Unet = UNetConfig.from(sd2.config("unet"));
        assertEquals(1024, sd2Unet.crossAttentionDim());
        assertTrue(sd2Unet.useLinearProjection());
        ClipTextConfig sd2Text = ClipTextConfig.from(sd2.config("text_encoder"));
        assertEquals(23, sd2Text.layers(), "diffusers keeps 23 of OpenCLIP ViT-H's 24 layers");
        assertEquals(1024, sd2Text.hiddenSize());
        assertEquals("gelu", sd2Text.hiddenAct());
        assertEquals("DDIMScheduler", sd2.schedulerConfig().className());
        assertEquals(PredictionType.EPSILON, sd2.schedulerConfig().predictionType());

        SingleFileCheckpoint xl = SingleFileCheckpoint.open(sdxlFile, null);
        UNetConfig xlUnet = UNetConfig.from(xl.config("unet"));
        assertEquals(2048, xlUnet.crossAttentionDim());
        assertEquals(2816, xlUnet.projectionClassEmbeddingsInputDim());
        ClipTextConfig xlText2 = ClipTextConfig.from(xl.config("text_encoder_2"));
        assertEquals(32, xlText2.layers());
        assertTrue(xlText2.withProjection());
        assertEquals(0.13025, VaeConfig.from(xl.config("vae")).scalingFactor());
        assertEquals("EulerDiscreteScheduler", xl.schedulerConfig().className());
        assertTrue(xl.index().path("force_zeros_for_empty_prompt").asBoolean());
        assertEquals(49407, xl.tokenizer("tokenizer").padId());
        assertEquals(0, xl.tokenizer("tokenizer_2").padId());
    }

    @Test
    void standardConfigsDoNotFitTinyWeights() {
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StableDiffusion.load(sd15File, Precision.FLOAT32).close());
        assertTrue(e.getMessage().startsWith(sd15File.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("text_model.embeddings.token_embedding.weight"), e.getMessage());
    }

    @Test
    void predictionTypeCanBeOverridden() {
        try (StableDiffusion v = StableDiffusion.load(sd15File, Precision.FLOAT32,
                new LoadOptions(Goldens.model("sd15-tiny"), PredictionType.V_PREDICTION))) {
            assertEquals(PredictionType.V_PREDICTION, v.schedulerConfig().predictionType());
            assertEquals(sd15Single.schedulerConfig().betaEnd(), v.schedulerConfig().betaEnd());
        }
    }

    @Test
    void aMissingTensorIsNamedWithTheFile() {
        Path broken = dir.resolve("broken.safetensors");
        new OriginalCheckpointWriter(Goldens.model("sd15-tiny")).unetAndVae()
                .clip("text_encoder", "cond_stage_model.transformer.")
                .remove("model.diffusion_model.output_blocks.2.1.conv.weight")
                .write(broken);
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> StableDiffusion.load(broken,
                Precision.FLOAT32, new LoadOptions(Goldens.model("sd15-tiny"), null)).close());
        assertTrue(e.getMessage().startsWith(broken + ": missing weight 'up_blocks.0.upsamplers.0.conv.weight'"), e.getMessage());
    }

    @Test
    void aTensorTheConfigHasNoPlaceForIsNamedWithTheFile() {
        Path extra = dir.resolve("extra.safetensors");
        String stray = "model.diffusion_model.input_blocks.40.0.in_layers.0.weight";
        new OriginalCheckpointWriter(Goldens.model("sd15-tiny")).unetAndVae()
                .clip("text_encoder", "cond_stage_model.transformer.")
                .put(stray, SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 0f))
                .write(extra);
        WeightsException e = assertThrows(WeightsException.class, () -> StableDiffusion.load(extra,
                Precision.FLOAT32, new LoadOptions(Goldens.model("sd15-tiny"), null)).close());
        assertTrue(e.getMessage().startsWith(extra + ": tensor \"" + stray + "\" does not fit"), e.getMessage());
    }

    @Test
    void pickleCheckpointsAreStillRefused() throws Exception {
        Path ckpt = Files.write(dir.resolve("model.ckpt"), new byte[] {(byte) 0x80, 2, 'c'});
        WeightsException e = assertThrows(WeightsException.class, () -> StableDiffusion.load(ckpt, Precision.FLOAT32));
        assertTrue(e.getMessage().startsWith(ckpt + ": refused"), e.getMessage());
        assertTrue(e.getMessage().contains("st.save_file"), "with the conversion command: " + e.getMessage());
    }

    @Test
    void aConfigFolderIsOnlyForSingleFiles() {
        Path folder = Goldens.model("sd15-tiny");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StableDiffusion.load(folder, Precision.FLOAT32, new LoadOptions(folder, null)));
        assertFalse(e.getMessage().contains("\n"));
    }

    private static Tensor t500() {
        return Torch.longs(new long[] {500}, 1);
    }

    private static TextEncoderOutput encode(ClipTextModel model, Goldens.File golden) {
        long[] shape = golden.shape("input_ids");
        long[] flat = golden.longs("input_ids");
        long[][] ids = new long[(int) shape[0]][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = java.util.Arrays.copyOfRange(flat, (int) (i * shape[1]), (int) ((i + 1) * shape[1]));
        }
        return model.encode(ids);
    }

    private static void assertSameOutputs(TextEncoderOutput expected, TextEncoderOutput actual, String what) {
        List<Tensor> e = expected.hiddenStates();
        assertEquals(e.size(), actual.hiddenStates().size(), what + " layers");
        for (int i = 0; i < e.size(); i++) {
            assertClose(e.get(i), actual.hiddenStates().get(i), SAME, what + " hidden state " + i);
        }
        assertClose(expected.lastHiddenState(), actual.lastHiddenState(), SAME, what + " last");
        assertClose(expected.pooled(), actual.pooled(), SAME, what + " pooled");
        if (expected.textEmbeds() != null) {
            assertClose(expected.textEmbeds(), actual.textEmbeds(), SAME, what + " text_embeds");
        }
    }
}
