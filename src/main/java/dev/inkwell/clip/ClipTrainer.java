package dev.inkwell.clip;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.TextEncoderOutput;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.train.AdamW;
import dev.inkwell.train.LossLog;
import dev.inkwell.train.TrainingRun;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.world.CaptionedSample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Contrastive training of a {@link Clip} on storybook scenes and their captions, drawn afresh every
 * step: the symmetric cross-entropy of the image-to-text and text-to-image logits of a batch, where
 * each image's own caption is the right answer (CLIP's objective), plus, weighted by
 * {@link Settings#captionHeadWeight}, the {@link CaptionHeads} loss that keeps the attributes each
 * caption names readable in the text tower (0 gives CLIP's objective alone). Token rows are cut to
 * the batch's longest caption: attention is causal and the pooled state is the end token's, so the
 * positions after it change nothing. Step {@code n}'s randomness derives from (seed, n) alone.
 */
public final class ClipTrainer implements AutoCloseable {

    public record Settings(long seed, long steps, int batchSize, double learningRate, long warmupSteps,
            double maxGradNorm, double captionHeadWeight, long checkpointEvery, long logEvery) {}

    /**
     * The contrastive loss before the update, the share of images whose own caption scored highest,
     * and the caption heads' loss.
     */
    public record StepResult(double loss, double accuracy, double captionLoss) {}

    private final Clip clip;
    private final CaptionHeads heads;
    private final ClipTokenizer tokenizer;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final Settings settings;

    /** Trains {@code clip} and fresh {@link CaptionHeads} (seeded from the settings) with AdamW. */
    public ClipTrainer(Clip clip, ClipTokenizer tokenizer, Settings settings) {
        this.clip = clip;
        this.heads = new CaptionHeads(clip.text().config().hiddenSize(), settings.seed());
        this.tokenizer = tokenizer;
        this.settings = settings;
        parameters.putAll(clip.parameters());
        parameters.putAll(heads.parameters());
        this.optimizer = new AdamW(parameters, AdamW.Options.DEFAULT);
    }

    public StepResult step(long step) {
        SplittableRandom random = TrainingSteps.random(settings.seed(), step);
        List<CaptionedSample> samples = CaptionedSample.draw(random, settings.batchSize());
        int batch = samples.size();
        long[][] ids = cutToLongest(tokenizer.encodeForModel(samples.stream().map(s -> s.caption().text()).toList()),
                tokenizer.eosId());
        long[] labels = new long[batch];
        Arrays.setAll(labels, i -> i);
        try (PointerScope scope = new PointerScope()) {
            TextEncoderOutput text = clip.text().encode(ids);
            Tensor logits = clip.logits(clip.imageEmbeds(Images.toTensor(CaptionedSample.images(samples))),
                    clip.textEmbeds(text));
            Tensor target = Torch.longs(labels, batch, 1);
            Tensor contrastive = crossEntropy(logits, target).add(crossEntropy(logits.t(), target)).mul(new Scalar(0.5));
            Tensor captionLoss = heads.loss(text.pooled(), samples);
            double accuracy = logits.argmax(new LongOptional(1), false)
                    .eq(target.squeeze(1)).to(ScalarType.Float).mean().item_double();
            double value = contrastive.item_double();
            double captionValue = captionLoss.item_double();
            Tensor loss = contrastive.add(captionLoss.mul(new Scalar(settings.captionHeadWeight())));
            TrainingSteps.update(loss, optimizer, null, step, settings.maxGradNorm(), learningRate(step));
            return new StepResult(value, accuracy, captionValue);
        }
    }

    public double learningRate(long step) {
        return TrainingSteps.cosineLearningRate(step, settings.learningRate(), settings.warmupSteps(), settings.steps());
    }

    /**
     * The whole run: {@link Settings#steps} steps under {@link TrainingRun} as stage {@code "clip"},
     * checkpointing the CLIP, the heads and the optimizer to {@code checkpoint} (and resuming from it).
     */
    public void run(Path checkpoint, LossLog losses, PrintWriter log) {
        TrainingRun.run(new TrainingRun.Plan("clip", settings.seed(), settings.steps(), settings.checkpointEvery(),
                settings.logEvery()), checkpoint, parameters, optimizer, null, step -> losses(step(step)), losses, log);
    }

    /** The losses {@link TrainingRun} logs for a step. */
    private static Map<String, Double> losses(StepResult result) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", result.loss());
        out.put("accuracy", result.accuracy());
        out.put("caption heads", result.captionLoss());
        return out;
    }

    @Override
    public void close() {
        optimizer.close();
        heads.close();
    }

    private static Tensor crossEntropy(Tensor logits, Tensor target) {
        return logits.log_softmax(1).gather(1, target).mean().neg();
    }

    /** Rows cut just after the last end token of any row. */
    private static long[][] cutToLongest(long[][] ids, int eos) {
        int length = 0;
        for (long[] row : ids) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] == eos) {
                    length = Math.max(length, i + 1);
                    break;
                }
            }
        }
        int keep = length;
        return Arrays.stream(ids).map(row -> Arrays.copyOf(row, keep)).toArray(long[][]::new);
    }
}
