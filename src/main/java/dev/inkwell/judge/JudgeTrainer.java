package dev.inkwell.judge;

import dev.inkwell.image.Images;
import dev.inkwell.train.AdamW;
import dev.inkwell.train.Ema;
import dev.inkwell.train.LossLog;
import dev.inkwell.train.TrainingRun;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.Sample;
import dev.inkwell.world.Scene;
import dev.inkwell.world.SceneQuery;
import dev.inkwell.world.SceneSampler;
import dev.inkwell.world.Size;
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
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains a {@link Judge} on scenes sampled and rendered on the fly, so it never sees the same
 * picture twice and needs no data set on disk. The loss is the cross-entropy summed over all
 * heads; the learning rate warms up linearly, then decays on a cosine to zero. Step {@code n}'s
 * scenes and render seeds derive from (seed, n) alone, so a resumed run continues bit for bit.
 *
 * <p>The judge scores generated images, and every generated image comes out of a VAE decoder,
 * softer than a rendering. Given a VAE, a share of each batch is shown as that VAE reconstructs it
 * (labels unchanged), so the judge learns to read the decoder's pictures as well as crisp ones.
 *
 * <p>What a judge misses is mostly on small subjects, whose pattern, eyes or accessory colour are a
 * few pixels; the settings can draw them more often than the world's half, and the judge saved is
 * then an exponential moving average of its weights.
 */
public final class JudgeTrainer implements AutoCloseable {
    public static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    /** Held-out scenes come from this offset of the training seed, a stream training never draws from. */
    private static final long EVALUATION_SEED_OFFSET = 0x5EED_0E7A1L;

    /**
     * @param steps total optimizer steps; the cosine reaches zero at the last
     * @param roundTripShare the share of each batch shown through the VAE (0 without one)
     * @param smallShare the chance that a scene's subject is drawn small (the world draws half)
     * @param emaDecay decay of the averaged weights that are saved; 0 saves the last weights
     * @param checkpointEvery steps between checkpoints in {@link #trainToFolder}
     * @param logEvery steps between progress lines
     */
    public record Settings(long seed, int batchSize, long steps, double learningRate, long warmupSteps,
            double maxGradNorm, double roundTripShare, double smallShare, double emaDecay, long checkpointEvery,
            long logEvery) {

        public Settings {
            if (!(roundTripShare >= 0 && roundTripShare <= 1)) {
                throw new IllegalArgumentException("the round-trip share must be in [0, 1], not " + roundTripShare);
            }
            if (!(smallShare >= 0 && smallShare <= 1)) {
                throw new IllegalArgumentException("the small share must be in [0, 1], not " + smallShare);
            }
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("the EMA decay must be in [0, 1), not " + emaDecay);
            }
        }

        /**
         * The full run of the storybook model, a quarter of each batch through its VAE: about 29 minutes on
         * two CPU cores. Batches of 32 go through 1.4 times as many images a second as batches of 64, and
         * learn as much per image; 10000 steps instead of 6600 took every identity attribute up by 4 to 9
         * points. A quarter instead of half: the round trips were more than a third of a step; with the
         * time saved the whole command fits its two hours, and the judge reads renderings better and the
         * VAE's pictures 0-3 points worse. Two subjects in three small and the average of the weights read
         * accessories, eye colours and the VAE's subjects a little better, patterns and accessory colours
         * no better (docs/storybook-model.md).
         */
        public static Settings full(long seed) {
            return new Settings(seed, 32, 10000, 2e-3, 100, 1.0, 0.25, 2.0 / 3, 0.999, 100, 20);
        }

        /** These settings with renderings only, for a judge trained without a VAE. */
        public Settings rendersOnly() {
            return new Settings(seed, batchSize, steps, learningRate, warmupSteps, maxGradNorm, 0, smallShare, emaDecay,
                    checkpointEvery, logEvery);
        }

        int roundTrips() {
            return (int) Math.round(roundTripShare * batchSize);
        }
    }

    private final Judge judge;
    private final Settings settings;
    private final AutoencoderKL vae;
    private final AdamW optimizer;
    private final Ema ema;
    private final Renderer renderer = new Renderer();

    /**
     * Takes over training {@code judge} (which the caller still owns and closes).
     *
     * @param vae the VAE whose reconstructions a share of each batch is shown as; null when the
     *     settings' round-trip share is 0
     */
    public JudgeTrainer(Judge judge, Settings settings, AutoencoderKL vae) {
        if (settings.roundTrips() > 0 && vae == null) {
            throw new IllegalArgumentException("a round-trip share of " + settings.roundTripShare() + " needs a VAE");
        }
        this.judge = judge;
        this.settings = settings;
        this.vae = vae;
        this.optimizer = new AdamW(judge.parameters(), AdamW.Options.DEFAULT);
        this.ema = settings.emaDecay() > 0 ? new Ema(judge.parameters(), settings.emaDecay()) : null;
    }

    /** The learning rate at {@code step}: linear warmup, then cosine decay. */
    public double learningRate(long step) {
        return TrainingSteps.cosineLearningRate(step, settings.learningRate(), settings.warmupSteps(), settings.steps());
    }

    /** Step {@code step}'s scenes and their renderings, drawn from (seed, step) alone. */
    List<Sample> batch(long step) {
        SplittableRandom random = TrainingSteps.random(settings.seed(), step);
        SceneSampler sampler = new SceneSampler(random.nextLong());
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < settings.batchSize(); i++) {
            Size size = random.nextDouble() < settings.smallShare() ? Size.SMALL : Size.LARGE;
            Scene scene = sampler.next(SceneQuery.ANY.withSize(size));
            samples.add(new Sample(scene, renderer.render(scene, random.nextLong())));
        }
        return samples;
    }

    /** Training step {@code step} (0-based) on a freshly rendered batch; returns the loss before the update. */
    public double step(long step) {
        List<Sample> samples = batch(step);
        List<Scene> scenes = samples.stream().map(Sample::scene).toList();
        try (PointerScope scope = new PointerScope()) {
            Tensor batch = Images.toTensor(Sample.images(samples));
            int through = settings.roundTrips();
            if (through > 0) {
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    batch = torch.cat(new TensorVector(vae.reconstruct(batch.narrow(0, 0, through)),
                            batch.narrow(0, through, batch.size(0) - through)));
                }
            }
            Map<Attribute, Tensor> logits = judge.forward(batch);
            Tensor loss = null;
            for (Attribute a : Attribute.values()) {
                long[] labels = scenes.stream().mapToLong(s -> a.of(s).ordinal()).toArray();
                float[] shown = new float[labels.length];
                for (int i = 0; i < shown.length; i++) {
                    shown[i] = a.visible(scenes.get(i)) ? 1 : 0;
                }
                Tensor head = TrainingSteps.maskedCrossEntropy(logits.get(a), labels, shown);
                loss = loss == null ? head : loss.add(head);
            }
            double value = loss.item_double();
            TrainingSteps.update(loss, optimizer, ema, step, settings.maxGradNorm(), learningRate(step));
            return value;
        }
    }

    /**
     * Fraction of {@code n} held-out scenes, drawn from {@code seed}, on which each attribute is right,
     * counting for each attribute only the scenes that show it ({@link Attribute#visible}).
     */
    public Map<Attribute, Double> evaluate(int n, long seed) {
        return evaluate(judge, n, seed, null);
    }

    /**
     * As {@link #evaluate(int, long)}, for any judge, on the renderings themselves ({@code vae} null)
     * or on what {@code vae} reconstructs of them.
     */
    public static Map<Attribute, Double> evaluate(Judge judge, int n, long seed, AutoencoderKL vae) {
        List<Sample> samples = Sample.draw(seed, n);
        Map<Attribute, Integer> correct = new EnumMap<>(Attribute.class);
        Map<Attribute, Integer> shown = new EnumMap<>(Attribute.class);
        for (int done = 0; done < n; done += 64) {
            List<Sample> part = samples.subList(done, Math.min(n, done + 64));
            BufferedImage[] images = Sample.images(part);
            if (vae != null) {
                try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                    images = Images.fromBatch(vae.reconstruct(Images.toTensor(images)));
                }
            }
            JudgeOutput out = judge.predict(images);
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
     * {@code out/config.json} and {@code out/model.safetensors} and logs held-out accuracies on
     * renderings.
     *
     * @param vae as for {@link #JudgeTrainer}
     */
    public static Map<Attribute, Double> trainToFolder(Path out, Settings settings, AutoencoderKL vae, LossLog losses,
            PrintWriter log) {
        Path checkpoint = out.resolve(CHECKPOINT_FILE);
        try (Judge judge = Judge.random(JudgeConfig.standard(), settings.seed());
                JudgeTrainer trainer = new JudgeTrainer(judge, settings, vae)) {
            TrainingRun.run(new TrainingRun.Plan("judge", settings.seed(), settings.steps(), settings.checkpointEvery(),
                    settings.logEvery()), checkpoint, judge.parameters(), trainer.optimizer, trainer.ema,
                    step -> Map.of("loss", trainer.step(step)), losses, log);
            if (trainer.ema != null) {
                trainer.ema.copyToParameters();
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
        if (ema != null) {
            ema.close();
        }
    }
}
