package dev.inkwell.nn;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.ComponentFiles;
import dev.inkwell.weights.DType;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsSource;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints as users have them: half-precision files, legacy key names, and ones that do not fit. */
class CheckpointVariantsTest {

    @Test
    void float16WeightsLoadIntoFloat32(@TempDir Path dir) {
        Path te = Goldens.model("sd15-tiny").resolve("text_encoder");
        Path half = dir.resolve("model.safetensors");
        rewrite(te.resolve("model.safetensors"), half, UnaryOperator.identity(), DType.F16);
        try (ClipTextModel model = new ClipTextModel(config(te), SafeTensorsSource.open(List.of(half)), Precision.FLOAT32);
                Goldens.File golden = new Goldens.File("sd15-tiny-text_encoder")) {
            Tensor out = model.encode(new long[][] {row(golden.longs("input_ids"), 1)}).lastHiddenState();
            assertEquals(ScalarType.Float, out.scalar_type().intern());
            // float16 keeps about three decimal digits of each weight.
            assertClose(golden.tensor("last_hidden_state").narrow(0, 1, 1), out, 2e-2, "fp16 weights");
        }
    }

    @Test
    void legacyVaeAttentionNamesLoad(@TempDir Path dir) {
        Path vae = Goldens.model("sd15-tiny").resolve("vae");
        Path legacy = dir.resolve("diffusion_pytorch_model.safetensors");
        rewrite(vae.resolve("diffusion_pytorch_model.safetensors"), legacy, key -> key
                .replace("attentions.0.to_q.", "attentions.0.query.")
                .replace("attentions.0.to_k.", "attentions.0.key.")
                .replace("attentions.0.to_v.", "attentions.0.value.")
                .replace("attentions.0.to_out.0.", "attentions.0.proj_attn."), null);
        try (AutoencoderKL model = new AutoencoderKL(dev.inkwell.vae.VaeConfig.from(Config.read(vae.resolve("config.json"))),
                        SafeTensorsSource.open(List.of(legacy)), Precision.FLOAT32);
                Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            assertClose(golden.tensor("out_decode"), model.decode(golden.tensor("in_decode_z")), 1e-4, "legacy names");
        }
    }

    @Test
    void aCheckpointThatDoesNotFitItsConfigIsNamed() throws Exception {
        Path te = Goldens.model("sd15-tiny").resolve("text_encoder");
        ClipTextConfig c = config(te);
        ClipTextConfig wider = new ClipTextConfig(c.vocabSize(), c.hiddenSize() + 8, c.intermediateSize(), c.layers(),
                c.heads(), c.maxPositions(), c.hiddenAct(), c.layerNormEps(), c.eosTokenId(), c.projectionDim(), false);
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> new ClipTextModel(wider, ComponentFiles.open(te), Precision.FLOAT32));
        assertTrue(e.getMessage().contains("text_model.embeddings.token_embedding.weight")
                && e.getMessage().contains("[49408, 32]") && e.getMessage().contains("[49408, 40]"), e.getMessage());
        ClipTextConfig deeper = new ClipTextConfig(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.layers() + 1,
                c.heads(), c.maxPositions(), c.hiddenAct(), c.layerNormEps(), c.eosTokenId(), c.projectionDim(), false);
        e = assertThrows(WeightsMismatchException.class, () -> new ClipTextModel(deeper, ComponentFiles.open(te), Precision.FLOAT32));
        assertTrue(e.getMessage().contains("missing weight 'text_model.encoder.layers.5."), e.getMessage());
    }

    private static ClipTextConfig config(Path dir) {
        return ClipTextConfig.from(Config.read(dir.resolve("config.json")));
    }

    private static long[] row(long[] flat, int index) {
        return java.util.Arrays.copyOfRange(flat, index * 77, (index + 1) * 77);
    }

    /** Copies a safetensors file with renamed keys, optionally converting float32 tensors to float16. */
    private static void rewrite(Path from, Path to, UnaryOperator<String> rename, DType convertTo) {
        Map<String, SafeTensorsWriter.Tensor> out = new LinkedHashMap<>();
        try (SafeTensors in = SafeTensors.open(from)) {
            for (TensorEntry e : in.entries().values()) {
                ByteBuffer data = in.bytes(e.name());
                DType type = e.dtype();
                if (convertTo == DType.F16 && type == DType.F32) {
                    Tensor half = Torch.floats(in.floats(e.name()), e.shape()).to(ScalarType.Half).contiguous();
                    byte[] bytes = new byte[Math.toIntExact(half.nbytes())];
                    new org.bytedeco.javacpp.BytePointer(half.data_ptr()).capacity(bytes.length).get(bytes);
                    data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                    type = DType.F16;
                }
                out.put(rename.apply(e.name()), new SafeTensorsWriter.Tensor(type, e.shape(), data));
            }
        }
        SafeTensorsWriter.write(to, out);
        assertTrue(Files.exists(to));
    }
}
