package dev.inkwell.precision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.ComponentFiles;
import dev.inkwell.weights.WeightSource;
import java.util.HashMap;
import java.util.Map;
import java.nio.file.Path;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/**
 * bfloat16 against the float32 reference goldens, per component, and its convolutions against
 * float64. bfloat16 keeps 8
 * significant bits (a rounding step of 0.4 %), so a model's output differs from float32 by a few
 * per cent of its range; each bound is about twice what was measured (docs/performance.md).
 */
class BFloat16Test {

    /** max |bf16 - golden| / max |golden|. */
    private static double relativeError(Tensor golden, Tensor actual) {
        Tensor g = golden.to(ScalarType.Double);
        return actual.to(ScalarType.Double).sub(g).abs().max().item_double() / g.abs().max().item_double();
    }

    private static void assertWithin(double bound, double error, String what) {
        System.out.printf("bfloat16 %s: relative error %.4f%n", what, error);
        assertTrue(error <= bound, what + ": relative error " + error + " above " + bound);
    }

    @Test
    void unetsStayCloseToTheFloat32References() {
        unet("sd15-tiny", "sd15-tiny-unet", false, 0.03);
        unet("sdxl-tiny", "sdxl-tiny-unet", true, 0.03);
    }

    private static void unet(String model, String goldenFile, boolean xl, double bound) {
        Path dir = Goldens.model(model).resolve("unet");
        try (UNet2DConditionModel unet = UNet2DConditionModel.load(dir, ComponentFiles.open(dir), Precision.BFLOAT16);
                Goldens.File golden = new Goldens.File(goldenFile)) {
            ScalarType bf16 = ScalarType.BFloat16;
            Conditioning cond = new Conditioning(golden.tensor("in_encoder_hidden_states").to(bf16), null,
                    xl ? golden.tensor("in_text_embeds").to(bf16) : null, xl ? golden.tensor("in_time_ids") : null);
            Tensor out = unet.forward(golden.tensor("in_sample").to(bf16), Torch.longs(new long[] {500}, 1), cond);
            assertWithin(bound, relativeError(golden.tensor("out_t500"), out), goldenFile);
        }
    }

    @Test
    void textEncoderStaysCloseToTheFloat32Reference() {
        Path dir = Goldens.model("sd15-tiny").resolve("text_encoder");
        try (ClipTextModel encoder = ClipTextModel.load(dir, ComponentFiles.open(dir), Precision.BFLOAT16);
                Goldens.File golden = new Goldens.File("sd15-tiny-text_encoder")) {
            long[] ids = golden.longs("input_ids");
            long[] shape = golden.shape("input_ids");
            long[][] rows = new long[(int) shape[0]][(int) shape[1]];
            for (int b = 0; b < rows.length; b++) {
                System.arraycopy(ids, b * rows[b].length, rows[b], 0, rows[b].length);
            }
            Tensor last = encoder.encode(rows).lastHiddenState();
            assertWithin(0.03, relativeError(golden.tensor("last_hidden_state"), last), "sd15-tiny text encoder");
        }
    }

    @Test
    void vaeDecoderStaysCloseToTheFloat32Reference() {
        Path dir = Goldens.model("sd15-tiny").resolve("vae");
        try (AutoencoderKL vae = AutoencoderKL.load(dir, ComponentFiles.open(dir), Precision.BFLOAT16);
                Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            Tensor image = vae.decode(golden.tensor("in_decode_z").to(ScalarType.BFloat16), (name, value) -> { });
            assertWithin(0.01, relativeError(golden.tensor("out_decode"), image), "sd15-tiny VAE decoder");
        }
    }

    /**
     * Conv2d's bfloat16 path (weights in oneDNN's blocked layout) against float64: at SD's shapes,
     * at the 1x1 shapes where oneDNN's float32 channels-last kernel is wrong on AVX-512 AMD CPUs,
     * and with fewer than 16 outputs (conv_out), where its bfloat16 NCHW kernel is wrong there.
     */
    @Test
    void blockedConvolutionsEqualAFloat64Convolution() {
        long[][] cases = {{64, 512, 1, 576}, {32, 512, 1, 1024}, {128, 1280, 1, 300}, {320, 2560, 1, 4096},
            {2560, 1280, 3, 16}, {320, 320, 3, 1024}, {320, 4, 3, 256}, {32, 4, 3, 64}, {128, 3, 3, 4096}};
        Map<String, Tensor> values = new HashMap<>();
        for (long[] c : cases) {
            String name = "c" + c[0] + "x" + c[1] + "k" + c[2];
            values.put(name + ".weight", torch.randn(c[1], c[0], c[2], c[2]).div(new Scalar(Math.sqrt(c[0] * c[2] * c[2]))));
            values.put(name + ".bias", torch.randn(c[1]));
        }
        Weights weights = Weights.root(new MapSource(values), Precision.BFLOAT16);
        try {
            for (long[] c : cases) {
                String name = "c" + c[0] + "x" + c[1] + "k" + c[2];
                int k = (int) c[2];
                Conv2d conv = new Conv2d(weights.at(name), c[0], c[1], k, 1, k / 2);
                Tensor w = values.get(name + ".weight").to(ScalarType.BFloat16).to(ScalarType.Double);
                Tensor b = values.get(name + ".bias").to(ScalarType.BFloat16).to(ScalarType.Double);
                long side = k == 1 ? 1 : (long) Math.sqrt(c[3]);
                Tensor x = torch.randn(2, c[0], side, c[3] / side).to(ScalarType.BFloat16);
                Tensor want = torch.conv2d(x.to(ScalarType.Double), w, new TensorOptional(b), new long[] {1, 1},
                        new long[] {k / 2, k / 2}, new long[] {1, 1}, 1);
                assertWithin(0.01, relativeError(want, conv.forward(x)), "convolution " + name + " over " + c[3]);
            }
        } finally {
            weights.close();
        }
    }

    /** Given float32 tensors, in the precision asked. */
    private record MapSource(Map<String, Tensor> values) implements WeightSource {
        @Override
        public boolean contains(String key) {
            return values.containsKey(key);
        }

        @Override
        public Tensor read(String key, long[] expectedShape, Precision precision) {
            return values.get(key).to(precision.scalarType());
        }

        @Override
        public String describe() {
            return "test tensors";
        }

        @Override
        public void close() {}
    }
}
