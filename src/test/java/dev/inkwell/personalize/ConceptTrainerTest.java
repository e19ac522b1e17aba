package dev.inkwell.personalize;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** One training step against the released ClassDiffusion code's p1 step, with both SPL pooling rules. */
class ConceptTrainerTest {
    private static final String EMBEDDING = TrainableParameters.TOKEN_EMBEDDING;

    /** The golden's key of one of our trained parameters. */
    private static String goldenKey(String key) {
        return key.replace(".attn2.to_k.weight", ".attn2.processor.to_k_custom_diffusion.weight")
                .replace(".attn2.to_v.weight", ".attn2.processor.to_v_custom_diffusion.weight");
    }

    private static void step(Pooling pooling, String prefix) {
        try (Goldens.File golden = new Goldens.File("personalize-p1");
                StableDiffusion sd = SemanticPreservationLossTest.p1Model(golden);
                ConceptTrainer trainer = new ConceptTrainer(sd, List.of(Concept.of("<new1>", "dog", null)),
                        new ConceptTrainer.Settings(2e-5, 1.0, pooling, true, 1.0, true))) {
            Map<String, float[]> frozenBefore = new HashMap<>();
            sd.unet().parameters().forEach((k, p) -> {
                if (!trainer.parameters().containsKey(k)) {
                    frozenBefore.put(k, Torch.toFloats(p));
                }
            });
            for (String key : trainer.parameters().keySet()) {
                if (!key.equals(ConceptTrainer.TOKEN_ROWS)) {
                    assertClose(golden.tensor("param_before/" + goldenKey(key)), trainer.parameters().get(key), 0, key);
                }
            }
            long[] ids = golden.longs("input_ids");
            List<String> prompts = List.of("a photo of a <new1> dog", "zoomed in a photo of a <new1> dog");
            long[][] ours = sd.tokenizer().encodeForModel(prompts);
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(ids, b * 77, b * 77 + 77), ours[b], "input ids " + b);
            }
            Tensor context = trainer.encode(prompts);
            assertClose(golden.tensor("encoder_hidden_states"), context, 1e-5, "encoder hidden states");
            Tensor denoising = trainer.denoisingLoss(golden.tensor("latents"), golden.tensor("noise"), golden.longs("timesteps"),
                    golden.tensor("mask"), context);
            Tensor spl = trainer.semanticPreservationLoss();
            Tensor loss = denoising.add(spl);
            float recon = golden.floats(prefix + "recon_loss")[0];
            assertEquals(recon, denoising.item_float(), 1e-4 * recon, "denoising loss");
            assertEquals(golden.floats(prefix + "loss")[0], loss.item_float(), 1e-4 * recon, "loss");

            loss.backward();
            for (String key : trainer.parameters().keySet()) {
                Tensor grad = trainer.parameters().get(key).grad();
                Tensor expected = key.equals(ConceptTrainer.TOKEN_ROWS) ? golden.tensor(prefix + "grad/token_embedding_row").view(1, -1)
                        : golden.tensor(prefix + "grad/" + goldenKey(key));
                assertClose(expected, grad, 1e-4 * maxAbs(expected), "gradient of " + key);
            }
            assertFalse(sd.textEncoder().parameters().get(EMBEDDING).grad().defined(), "the vocabulary gets no gradient");
            double norm = trainer.applyGradients();
            assertEquals(golden.floats(prefix + "grad_norm")[0], norm, 1e-4 * norm, "gradient norm");
            for (String key : trainer.parameters().keySet()) {
                Tensor expected = key.equals(ConceptTrainer.TOKEN_ROWS)
                        ? golden.tensor(prefix + "param_after/token_embedding_row").view(1, -1)
                        : golden.tensor(prefix + "param_after/" + goldenKey(key));
                assertClose(expected, trainer.parameters().get(key), 1e-4 * maxAbs(expected), "after the step: " + key);
            }
            int initializer = (int) golden.longs("initializer_token_id")[0];
            assertClose(golden.tensor(prefix + "param_after/token_embedding_row_initializer"),
                    sd.textEncoder().parameters().get(EMBEDDING).select(0, initializer), 1e-7, "released decay of other rows");
            sd.unet().parameters().forEach((k, p) -> {
                if (frozenBefore.containsKey(k)) {
                    assertArrayEquals(frozenBefore.get(k), Torch.toFloats(p), "frozen " + k);
                }
            });
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : Torch.toFloats(t)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void oneStepEqualsTheReleasedCode() {
        step(Pooling.RELEASED, "");
    }

    @Test
    void oneStepWithSplAtTheEndOfTextEqualsTheOriginalWithThatRule() {
        step(Pooling.EOS, "eos_variant/");
    }
}
