package dev.inkwell.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.weights.DType;
import dev.inkwell.weights.TensorEntry;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detection from the names and shapes of real checkpoints' key tensors (no data needed). */
class CheckpointDetectorTest {
    private static final Path FILE = Path.of("models", "some-checkpoint.safetensors");
    private static final String UNET = "model.diffusion_model.";
    private static final String SD1_CLIP = "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight";
    private static final String SD2_OPEN_CLIP = "cond_stage_model.model.token_embedding.weight";
    private static final String XL_CLIP = "conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight";
    private static final String XL_OPEN_CLIP = "conditioner.embedders.1.model.token_embedding.weight";

    /** A checkpoint header: names with shapes, alternating. */
    private static Map<String, TensorEntry> entries(Object... nameShape) {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        for (int i = 0; i < nameShape.length; i += 2) {
            String name = (String) nameShape[i];
            out.put(name, new TensorEntry(name, DType.F16, (long[]) nameShape[i + 1], 0, 0));
        }
        return out;
    }

    private static Map<String, TensorEntry> unet(long inChannels, long context, Object... more) {
        Map<String, TensorEntry> out = entries(
                UNET + "input_blocks.0.0.weight", new long[] {320, inChannels, 3, 3},
                UNET + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", new long[] {320, context},
                "first_stage_model.decoder.conv_in.weight", new long[] {512, 4, 3, 3});
        out.putAll(entries(more));
        return out;
    }

    @Test
    void sd1() {
        assertEquals(CheckpointType.SD1, CheckpointDetector.detect(FILE, unet(4, 768, SD1_CLIP, new long[] {49408, 768},
                "model_ema.decay", new long[0])));
    }

    @Test
    void sd2() {
        assertEquals(CheckpointType.SD2, CheckpointDetector.detect(FILE, unet(4, 1024, SD2_OPEN_CLIP, new long[] {49408, 1024},
                "cond_stage_model.model.transformer.resblocks.23.attn.in_proj_weight", new long[] {3072, 1024})));
    }

    @Test
    void sdxlBase() {
        assertEquals(CheckpointType.SDXL, CheckpointDetector.detect(FILE, unet(4, 2048,
                XL_CLIP, new long[] {49408, 768}, XL_OPEN_CLIP, new long[] {49408, 1280},
                UNET + "label_emb.0.0.weight", new long[] {1280, 2816})));
    }

    @Test
    void unsupportedCheckpointsAreNamedInOneLine() {
        Map<String, Map<String, TensorEntry>> cases = new LinkedHashMap<>();
        cases.put("SDXL refiner", unet(4, 1280, "conditioner.embedders.0.model.token_embedding.weight", new long[] {49408, 1280},
                UNET + "label_emb.0.0.weight", new long[] {1536, 2560}));
        cases.put("inpainting", unet(9, 768, SD1_CLIP, new long[] {49408, 768}));
        cases.put("SD3", entries(UNET + "joint_blocks.0.context_block.adaLN_modulation.1.bias", new long[] {9216}));
        cases.put("Flux", entries("double_blocks.0.img_attn.norm.key_norm.scale", new long[] {128}));
        cases.put("no Stable Diffusion UNet", entries("down_blocks.0.resnets.0.conv1.weight", new long[] {320, 320, 3, 3}));
        cases.put("without a known text encoder", unet(4, 768));
        cases.put("768 wide, with a UNet that attends to 1024", unet(4, 1024, SD1_CLIP, new long[] {49408, 768}));
        cases.put("no pooled text embedding", unet(4, 2048, XL_CLIP, new long[] {49408, 768}, XL_OPEN_CLIP, new long[] {49408, 1280}));
        cases.forEach((expected, entries) -> {
            WeightsException e = assertThrows(WeightsException.class, () -> CheckpointDetector.detect(FILE, entries), expected);
            String message = e.getMessage();
            assertTrue(message.startsWith(FILE + ": not an SD 1.x, SD 2.x or SDXL base checkpoint: found "), message);
            assertTrue(message.contains(expected), expected + " -> " + message);
            assertFalse(message.contains("\n"), message);
        });
    }
}
