package dev.inkwell.train;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The loop every trainer shares: resume from the checkpoint if there is one, take the steps, print
 * and record the mean losses every {@code logEvery} steps, and checkpoint every
 * {@code checkpointEvery} steps and at the end. Steps draw their randomness from (seed, step), so a
 * run interrupted anywhere and started again ends with the same weights.
 */
public final class TrainingRun {

    /** One training step: its losses by name, in the order they are printed. */
    @FunctionalInterface
    public interface Step {
        Map<String, Double> take(long step);
    }

    /** @param stage the name in progress lines and the loss log */
    public record Plan(String stage, long seed, long steps, long checkpointEvery, long logEvery) {
        public Plan {
            if (steps <= 0 || checkpointEvery <= 0 || logEvery <= 0) {
                throw new IllegalArgumentException(stage + ": steps, checkpoint and log intervals must be positive");
            }
        }
    }

    private TrainingRun() {}

    /**
     * Trains {@code parameters} with {@code optimizer} (and {@code ema}, may be null) through
     * {@code plan}, checkpointing to {@code checkpoint}; {@code losses} may be null.
     */
    public static void run(Plan plan, Path checkpoint, Map<String, Tensor> parameters, AdamW optimizer, Ema ema,
            Step step, LossLog losses, PrintWriter log) {
        long start = 0;
        if (Files.exists(checkpoint)) {
            TrainingCheckpoint.Progress progress = TrainingCheckpoint.load(checkpoint, parameters, optimizer, ema);
            if (progress.seed() != plan.seed()) {
                throw new IllegalArgumentException(checkpoint + " was trained with seed " + progress.seed()
                        + ", not " + plan.seed());
            }
            start = progress.step();
            log.printf(Locale.ROOT, "%s: resuming from %s at step %d%n", plan.stage(), checkpoint, start);
        }
        if (losses != null) {
            losses.truncate(plan.stage(), start);
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        long windowStart = start;
        long began = System.nanoTime();
        for (long n = start; n < plan.steps(); n++) {
            step.take(n).forEach((name, value) -> sums.merge(name, value, Double::sum));
            long done = n + 1;
            boolean last = done == plan.steps();
            if (done % plan.logEvery() == 0 || last) {
                long window = done - windowStart;
                Map<String, Double> means = new LinkedHashMap<>();
                sums.forEach((name, sum) -> means.put(name, sum / window));
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s step %d/%d", plan.stage(), done, plan.steps()));
                means.forEach((name, mean) -> line.append(String.format(Locale.ROOT, "  %s %.4g", name, mean)));
                double seconds = (System.nanoTime() - began) / 1e9;
                double rate = window / seconds;
                long left = Math.round((plan.steps() - done) / rate);
                line.append(String.format(Locale.ROOT, "  %.2f steps/s  eta %d:%02d:%02d", rate, left / 3600, left / 60 % 60, left % 60));
                log.println(line);
                log.flush();
                if (losses != null) {
                    losses.append(plan.stage(), done, means);
                }
                sums.clear();
                windowStart = done;
                began = System.nanoTime();
            }
            if (done % plan.checkpointEvery() == 0 || last) {
                TrainingCheckpoint.save(checkpoint, parameters, optimizer, ema,
                        new TrainingCheckpoint.Progress(done, plan.seed()));
                if (losses != null) {
                    losses.plot();
                }
            }
        }
    }
}
