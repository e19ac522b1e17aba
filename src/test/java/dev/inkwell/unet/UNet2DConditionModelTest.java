package dev.inkwell.unet;

import static dev.inkwell.testing.Goldens.assertClose;

import dev.inkwell.nn.Config;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** UNet outputs and intermediate activations against diffusers, SD 1.5 and SDXL layouts. */
class UNet2DConditionModelTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void sd15UNetMatchesReference() {
        check("sd15-tiny", "sd15-tiny-unet", false);
    }

    @Test
    void sdxlUNetWithAddedTimeEmbeddingMatchesReference() {
        check("sdxl-tiny", "sdxl-tiny-unet", true);
    }

    /** Convolution weights in oneDNN's blocked layout change nothing beyond rounding. */
    @Test
    void generationOnlyUNetsMatchTheReferenceToo() {
        check("sd15-tiny", "sd15-tiny-unet", false, true);
        check("sdxl-tiny", "sdxl-tiny-unet", true, true);
    }

    private static void check(String model, String goldenFile, boolean xl) {
        check(model, goldenFile, xl, false);
    }

    private static void check(String model, String goldenFile, boolean xl, boolean generationOnly) {
        Path dir = Goldens.model(model).resolve("unet");
        try (UNet2DConditionModel unet = new UNet2DConditionModel(UNetConfig.from(Config.read(dir.resolve("config.json"))),
                ComponentFiles.open(dir), Precision.FLOAT32, generationOnly);
                Goldens.File golden = new Goldens.File(goldenFile)) {
            Tensor sample = golden.tensor("in_sample");
            Conditioning cond = new Conditioning(golden.tensor("in_encoder_hidden_states"), null,
                    xl ? golden.tensor("in_text_embeds") : null, xl ? golden.tensor("in_time_ids") : null);

            Map<String, Tensor> activations = new HashMap<>();
            Tensor out = unet.forward(sample, Torch.longs(new long[] {500}, 1), cond, activations::put);
            assertClose(golden.tensor("out_t500"), out, TOLERANCE, goldenFile + " t=500");
            int checked = 0;
            for (String name : activations.keySet()) {
                String key = "act_t500/" + name;
                if (golden.has(key)) {
                    assertClose(golden.tensor(key), activations.get(name), TOLERANCE, goldenFile + " " + key);
                    checked++;
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(xl ? 12 : 10, checked, "activations compared");

            long[][] perSample = {{1, 1}, {999, 999}, {999, 1}};
            for (long[] t : perSample) {
                Tensor o = unet.forward(sample, Torch.longs(t, 2), cond);
                assertClose(golden.tensor("out_t" + t[0] + "_" + t[1]), o, TOLERANCE, goldenFile + " t=" + t[0] + "," + t[1]);
            }
        }
    }
}
