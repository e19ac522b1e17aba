package dev.inkwell.bench;

import dev.inkwell.checkpoint.CheckpointType;
import dev.inkwell.checkpoint.RandomCheckpoint;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import java.io.PrintWriter;

/**
 * Times whole text-to-image runs (prompt encoding, guided denoising, VAE decoding) of the
 * full-size SD 1.5 architecture with random weights.
 */
public final class GenerateBenchmark {
    private GenerateBenchmark() {}

    public static Timings run(int size, int steps, int runs, Precision precision, PrintWriter log) {
        long loadStart = System.nanoTime();
        try (StableDiffusion sd = StableDiffusion.of(new RandomCheckpoint(CheckpointType.SD1, 0), precision, LoadOptions.DEFAULT.withGenerationOnly())) {
            log.printf("model built in %.1f s%n", (System.nanoTime() - loadStart) / 1e9);
            GenerationRequest request = GenerationRequest.of("a watercolor painting of a lighthouse at dusk")
                    .withNegativePrompt("blurry, low quality").withSize(size, size).withSteps(steps)
                    .withScheduler(SchedulerKind.EULER).withSeed(1);
            double[] seconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                long[] stepEnd = {start};
                new TextToImage(sd).generate(request, (step, total) -> {
                    long now = System.nanoTime();
                    log.printf("  step %d/%d %.2f s%n", step, total, (now - stepEnd[0]) / 1e9);
                    log.flush();
                    stepEnd[0] = now;
                });
                seconds[i] = (System.nanoTime() - start) / 1e9;
                log.printf("run %d: %.1f s (VAE decode %.1f s)%n", i + 1, seconds[i],
                        seconds[i] - (stepEnd[0] - start) / 1e9);
            }
            return new Timings(seconds, Timings.peakRss());
        }
    }
}
