package dev.inkwell.bench;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.checkpoint.CheckpointType;
import dev.inkwell.checkpoint.RandomCheckpoint;
import dev.inkwell.personalize.Concept;
import dev.inkwell.personalize.ConceptTrainer;
import dev.inkwell.personalize.Personalization;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.tensor.Precision;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Times ClassDiffusion training steps (denoising loss and SPL, backward, AdamW) of the full-size
 * SD 1.5 architecture with random weights, batch 1.
 */
public final class PersonalizeBenchmark {
    private PersonalizeBenchmark() {}

    public static Timings run(int size, int runs, PrintWriter log) {
        long loadStart = System.nanoTime();
        float[] row = new float[768];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (random.nextGaussian() * 0.01);
        }
        Concept concept = Concept.of("<new1>", "dog", null);
        LoadOptions tokens = LoadOptions.DEFAULT.withAdapters(List.of(new Adapter(Map.of(concept.token(), row), Map.of())));
        Personalization.Settings d = Personalization.Settings.defaults();
        try (StableDiffusion sd = StableDiffusion.of(new RandomCheckpoint(CheckpointType.SD1, 0), Precision.FLOAT32, tokens);
                ConceptTrainer trainer = new ConceptTrainer(sd, List.of(concept), new ConceptTrainer.Settings(
                        d.effectiveLearningRate(), d.splWeight(), d.pooling(), false, 1.0, true))) {
            log.printf("model built in %.1f s%n", (System.nanoTime() - loadStart) / 1e9);
            int latent = size / sd.vaeScale();
            double[] seconds = new double[runs];
            for (int i = -1; i < runs; i++) {
                long start = System.nanoTime();
                try (PointerScope scope = new PointerScope()) {
                    torch.manual_seed(i + 2);
                    Tensor latents = torch.randn(1, 4, latent, latent);
                    Tensor noise = torch.randn(1, 4, latent, latent);
                    Tensor mask = torch.ones(1, 1, latent, latent);
                    Tensor loss = trainer.denoisingLoss(latents, noise, new long[] {500}, mask,
                            trainer.encode(List.of(concept.instancePrompt())));
                    trainer.update(loss.add(trainer.semanticPreservationLoss().mul(new Scalar(d.splWeight()))));
                }
                double s = (System.nanoTime() - start) / 1e9;
                log.printf(i < 0 ? "warm-up step: %.2f s%n" : "step " + (i + 1) + ": %.2f s%n", s);
                log.flush();
                if (i >= 0) {
                    seconds[i] = s;
                }
            }
            return new Timings(seconds, Timings.peakRss());
        }
    }
}
