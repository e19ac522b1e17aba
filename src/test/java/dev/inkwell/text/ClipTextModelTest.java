package dev.inkwell.text;

import static dev.inkwell.testing.Goldens.assertClose;

import dev.inkwell.tensor.Precision;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Every hidden state, the pooled and the projected outputs, against transformers. */
class ClipTextModelTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void sd15TextEncoderMatchesReference() {
        check("sd15-tiny", "text_encoder", "sd15-tiny-text_encoder");
    }

    @Test
    void sdxlFirstTextEncoderMatchesReference() {
        check("sdxl-tiny", "text_encoder", "sdxl-tiny-text_encoder");
    }

    @Test
    void sdxlSecondTextEncoderWithProjectionMatchesReference() {
        check("sdxl-tiny", "text_encoder_2", "sdxl-tiny-text_encoder_2");
    }

    private static void check(String model, String component, String goldenFile) {
        Path dir = Goldens.model(model).resolve(component);
        try (ClipTextModel encoder = ClipTextModel.load(dir, ComponentFiles.open(dir), Precision.FLOAT32);
                Goldens.File golden = new Goldens.File(goldenFile)) {
            long[] ids = golden.longs("input_ids");
            long[] shape = golden.shape("input_ids");
            long[][] rows = new long[(int) shape[0]][(int) shape[1]];
            for (int b = 0; b < rows.length; b++) {
                System.arraycopy(ids, b * rows[b].length, rows[b], 0, rows[b].length);
            }
            TextEncoderOutput out = encoder.encode(rows);
            Tensor all = golden.tensor("all_hidden_states");
            for (int k = 0; k < out.hiddenStates().size(); k++) {
                assertClose(all.select(0, k), out.hiddenStates().get(k), TOLERANCE, goldenFile + " hidden_states[" + k + "]");
            }
            assertClose(golden.tensor("last_hidden_state"), out.lastHiddenState(), TOLERANCE, goldenFile + " last");
            assertClose(golden.tensor("penultimate_hidden_state"), out.hiddenStateFromEnd(1), TOLERANCE, goldenFile + " penultimate");
            assertClose(golden.tensor("pooler_output"), out.pooled(), TOLERANCE, goldenFile + " pooled");
            if (encoder.config().withProjection()) {
                assertClose(golden.tensor("text_embeds"), out.textEmbeds(), TOLERANCE, goldenFile + " text_embeds");
            }
        }
    }
}
