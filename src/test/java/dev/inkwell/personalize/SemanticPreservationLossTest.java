package dev.inkwell.personalize;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.tensor.Precision;
import dev.inkwell.testing.Goldens;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** SPL against the released code's values on the p1 golden, both pooling rules. */
class SemanticPreservationLossTest {

    static StableDiffusion p1Model(Goldens.File golden) {
        Adapter start = new Adapter(Map.of("<new1>", golden.floats("token_embedding_init_row")), Map.of());
        return StableDiffusion.load(Goldens.model("sd15-tiny"), Precision.FLOAT32, LoadOptions.DEFAULT.withAdapters(List.of(start)));
    }

    @Test
    void matchesTheReleasedCodeAtBothPoolingPositions() {
        try (Goldens.File golden = new Goldens.File("personalize-p1"); StableDiffusion sd = p1Model(golden)) {
            assertArrayEquals(golden.longs("spl_modifier_cls_input_ids"),
                    java.util.Arrays.stream(sd.tokenizer().encode("a photo of a <new1> dog")).asLongStream().toArray());
            assertArrayEquals(golden.longs("spl_cls_input_ids"),
                    java.util.Arrays.stream(sd.tokenizer().encode("a photo of a dog")).asLongStream().toArray());
            for (Pooling pooling : Pooling.values()) {
                String rule = pooling == Pooling.RELEASED ? "argmax" : "eos";
                SemanticPreservationLoss spl = new SemanticPreservationLoss(sd.tokenizer(), sd.textEncoder(), pooling);
                assertClose(golden.tensor("spl_feature_modifier_cls_" + rule), spl.feature("a photo of a <new1> dog"), 1e-5,
                        rule + " personalized feature");
                assertClose(golden.tensor("spl_feature_cls_" + rule), spl.feature("a photo of a dog"), 1e-5, rule + " class feature");
                Tensor loss = spl.loss("<new1>", "dog");
                float expected = golden.floats(pooling == Pooling.RELEASED ? "spl_value_released" : "spl_value_eos")[0];
                assertEquals(expected, loss.item_float(), 1e-4 * Math.abs(expected), rule + " loss");
            }
        }
    }
}
