package dev.inkwell.vae;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.nn.Config;
import dev.inkwell.tensor.Precision;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** VAE decode and encode, with every intermediate the reference recorded. */
class AutoencoderKLTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void decodeMatchesReference() {
        try (AutoencoderKL vae = load(); Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            Map<String, Tensor> acts = new HashMap<>();
            Tensor image = vae.decode(golden.tensor("in_decode_z"), acts::put);
            assertClose(golden.tensor("out_decode"), image, TOLERANCE, "decode");
            assertEquals(7, compare(golden, "act_decode/", acts));
        }
    }

    /** Convolution weights in oneDNN's blocked layout change nothing beyond rounding. */
    @Test
    void generationOnlyDecodeAndEncodeMatchTheReferenceToo() {
        Path dir = Goldens.model("sd15-tiny").resolve("vae");
        try (AutoencoderKL vae = new AutoencoderKL(VaeConfig.from(Config.read(dir.resolve("config.json"))),
                ComponentFiles.open(dir), Precision.FLOAT32, true);
                Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            assertClose(golden.tensor("out_decode"), vae.decode(golden.tensor("in_decode_z"), (name, value) -> { }),
                    TOLERANCE, "decode");
            assertClose(golden.tensor("out_encode_mean"), vae.encode(golden.tensor("in_encode_image"), (name, value) -> { }).mean(),
                    TOLERANCE, "mean");
        }
    }

    @Test
    void encodeMatchesReference() {
        try (AutoencoderKL vae = load(); Goldens.File golden = new Goldens.File("sd15-tiny-vae")) {
            Map<String, Tensor> acts = new HashMap<>();
            LatentDistribution dist = vae.encode(golden.tensor("in_encode_image"), acts::put);
            assertClose(golden.tensor("out_encode_mean"), dist.mean(), TOLERANCE, "mean");
            assertClose(golden.tensor("out_encode_logvar"), dist.logvar(), TOLERANCE, "logvar");
            assertEquals(7, compare(golden, "act_encode/", acts));
        }
    }

    private static int compare(Goldens.File golden, String prefix, Map<String, Tensor> acts) {
        int checked = 0;
        for (Map.Entry<String, Tensor> e : acts.entrySet()) {
            if (golden.has(prefix + e.getKey())) {
                assertClose(golden.tensor(prefix + e.getKey()), e.getValue(), TOLERANCE, prefix + e.getKey());
                checked++;
            }
        }
        return checked;
    }

    private static AutoencoderKL load() {
        Path dir = Goldens.model("sd15-tiny").resolve("vae");
        return AutoencoderKL.load(dir, ComponentFiles.open(dir), Precision.FLOAT32);
    }
}
