package dev.inkwell.judge;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.train.AdamW;
import dev.inkwell.train.TrainingCheckpoint;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.Sample;
import dev.inkwell.world.Scene;
import dev.inkwell.world.SceneSampler;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Trains a {@link Judge} on scenes sampled and rendered on the fly, so it never sees the same
 * picture twice and needs no data set on disk. The loss is the cross-entropy summed over all
 * heads; the learning rate warms up linearly, then decays on a cosine to zero. Step {@code n}'s
 * scenes and render seeds derive from (seed, n) alone, so a resumed run continues bit for bit.
 */
public final class JudgeTrainer implements AutoCloseable {
    public static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    /** Held-out scenes come from this offset of the training seed, a stream training never draws from. */
    private static final long EVALUATION_SEED_OFFSET = 0x5EED_0E7A1L;

    /**
     * @param steps total optimizer steps; the cosine reaches zero at the last
     * @param checkpointEvery steps between checkpoints in {@link #trainToFolder}
     * @param logEvery steps between progress lines
     */
    public record Settings(long seed, int batchSize, long steps, double learningRate, long warmupSteps,
            double maxGradNorm, long checkpointEvery, long logEvery) {

        /** The full run: about 15 minutes on two CPU cores. */
        public static Settings full(long seed) {
            return new Settings(seed, 64, 2000, 2e-3, 100, 1.0, 100, 20);
        }
    }

    private final Judge judge;
    private final Settings settings;
    private final AdamW optimizer;
    private final Renderer renderer = new Renderer();

    /** Takes over training {@code judge} (which the caller still owns and closes). */
    public JudgeTrainer(Judge judge, Settings settings) {
        this.judge = judge;
        this.settings = settings;
        this.optimizer = new AdamW(judge.parameters(), AdamW.Options.DEFAULT);
    }

    /** The learning rate at {@code step}: linear warmup, then cosine decay. */
    public double learningRate(long step) {
        if (step < settings.warmupSteps()) {
            return settings.learningRate() * (step + 1) / settings.warmupSteps();
        }
        double progress = (double) (step - settings.warmupSteps()) / Math.max(1, settings.steps() - settings.warmupSteps());
        return settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }

    /** Training step {@code step} (0-based) on a freshly rendered batch; returns the loss before the update. */
    public double step(long step) {
        SplittableRandom random = TrainingSteps.random(settings.seed(), step);
        List<Scene> scenes = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        SceneSampler sampler = new SceneSampler(random.nextLong());
        for (int i = 0; i < settings.batchSize(); i++) {
            Scene scene = sampler.next();
            scenes.add(scene);
            images.add(renderer.render(scene, random.nextLong()));
        }
        try (PointerScope scope = new PointerScope()) {
            Map<Attribute, Tensor> logits = judge.forward(Images.toTensor(images.toArray(BufferedImage[]::new)));
            Tensor loss = null;
            for (Attribute a : Attribute.values()) {
                long[] labels = scenes.stream().mapToLong(s -> a.of(s).ordinal()).toArray();
                float[] shown = new float[labels.length];
                for (int i = 0; i < shown.length; i++) {
                    shown[i] = a.visible(scenes.get(i)) ? 1 : 0;
                }
                Tensor target = Torch.longs(labels, labels.length, 1);
                Tensor weight = Torch.floats(shown, shown.length, 1);
                Tensor head = logits.get(a).log_softmax(1).gather(1, target).mul(weight).sum()
                        .div(weight.sum().clamp_min(new Scalar(1.0))).neg();
                loss = loss == null ? head : loss.add(head);
            }
            double value = loss.item_double();
            TrainingSteps.update(loss, optimizer, null, settings.maxGradNorm(), learningRate(step));
            return value;
        }
    }

    /**
     * Runs steps {@code from} up to {@code to} (exclusive), printing step, loss and images per
     * second every {@code logEvery} steps.
     */
    public void train(long from, long to, PrintWriter log) {
        long start = System.nanoTime();
        long lastLog = from;
        double lossSum = 0;
        for (long step = from; step < to; step++) {
            lossSum += step(step);
            if ((step + 1) % settings.logEvery() == 0 || step + 1 == to) {
                long done = step + 1 - lastLog;
                double seconds = (System.nanoTime() - start) / 1e9;
                log.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.1f images/s%n", step + 1, settings.steps(),
                        lossSum / done, learningRate(step), done * settings.batchSize() / seconds);
                log.flush();
                start = System.nanoTime();
                lastLog = step + 1;
                lossSum = 0;
            }
        }
    }

    /**
     * Fraction of {@code n} held-out scenes, drawn from {@code seed}, on which each attribute is right,
     * counting for each attribute only the scenes that show it ({@link Attribute#visible}).
     */
    public Map<Attribute, Double> evaluate(int n, long seed) {
        return evaluate(judge, n, seed);
    }

    /** As {@link #evaluate(int, long)}, for any judge. */
    public static Map<Attribute, Double> evaluate(Judge judge, int n, long seed) {
        List<Sample> samples = Sample.draw(seed, n);
        Map<Attribute, Integer> correct = new EnumMap<>(Attribute.class);
        Map<Attribute, Integer> shown = new EnumMap<>(Attribute.class);
        for (int done = 0; done < n; done += 64) {
            List<Sample> part = samples.subList(done, Math.min(n, done + 64));
            JudgeOutput out = judge.predict(Sample.images(part));
            for (int i = 0; i < part.size(); i++) {
                Scene scene = part.get(i).scene();
                for (Attribute a : Attribute.values()) {
                    if (a.visible(scene)) {
                        shown.merge(a, 1, Integer::sum);
                        correct.merge(a, out.get(i).agrees(scene, a) ? 1 : 0, Integer::sum);
                    }
                }
            }
        }
        Map<Attribute, Double> accuracy = new EnumMap<>(Attribute.class);
        shown.forEach((a, count) -> accuracy.put(a, (double) correct.getOrDefault(a, 0) / count));
        return accuracy;
    }

    /**
     * The full run for the CLI: trains a standard judge into {@code out}, checkpointing to
     * {@code out/checkpoint.safetensors} (and resuming from it when present), then writes
     * {@code out/config.json} and {@code out/model.safetensors} and logs held-out accuracies.
     */
    public static Map<Attribute, Double> trainToFolder(Path out, Settings settings, PrintWriter log) {
        Path checkpoint = out.resolve(CHECKPOINT_FILE);
        try (Judge judge = Judge.random(JudgeConfig.standard(), settings.seed());
                JudgeTrainer trainer = new JudgeTrainer(judge, settings)) {
            long step = 0;
            if (Files.exists(checkpoint)) {
                TrainingCheckpoint.Progress progress = TrainingCheckpoint.load(checkpoint, judge.parameters(),
                        trainer.optimizer, null);
                if (progress.seed() != settings.seed()) {
                    throw new IllegalArgumentException(checkpoint + " was trained with seed " + progress.seed()
                            + ", not " + settings.seed());
                }
                step = progress.step();
                log.printf("resuming from step %d%n", step);
            }
            while (step < settings.steps()) {
                long next = Math.min(settings.steps(), step + settings.checkpointEvery());
                trainer.train(step, next, log);
                step = next;
                TrainingCheckpoint.save(checkpoint, judge.parameters(), trainer.optimizer, null,
                        new TrainingCheckpoint.Progress(step, settings.seed()));
            }
            judge.save(out);
            Map<Attribute, Double> accuracy = trainer.evaluate(1024, settings.seed() + EVALUATION_SEED_OFFSET);
            accuracy.forEach((a, acc) -> log.printf(Locale.ROOT, "%-17s %.4f%n", a.key(), acc));
            log.flush();
            return accuracy;
        }
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
