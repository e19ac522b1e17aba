package dev.inkwell.clip;

import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.train.AdamW;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.world.CaptionedSample;
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
 * each image's own caption is the right answer (CLIP's objective). Token rows are cut to the batch's
 * longest caption: attention is causal and the pooled state is the end token's, so the positions
 * after it change nothing. Step {@code n}'s randomness derives from (seed, n) alone.
 */
public final class ClipTrainer {

    public record Settings(long seed, long steps, int batchSize, double learningRate, long warmupSteps,
            double maxGradNorm, long checkpointEvery, long logEvery) {}

    /** The loss before the update and the share of images whose own caption scored highest. */
    public record StepResult(double loss, double accuracy) {}

    private final Clip clip;
    private final ClipTokenizer tokenizer;
    private final AdamW optimizer;
    private final Settings settings;

    /** @param optimizer over {@code clip.parameters()} */
    public ClipTrainer(Clip clip, ClipTokenizer tokenizer, AdamW optimizer, Settings settings) {
        this.clip = clip;
        this.tokenizer = tokenizer;
        this.optimizer = optimizer;
        this.settings = settings;
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
            Tensor logits = clip.logits(clip.imageEmbeds(Images.toTensor(CaptionedSample.images(samples))), clip.textEmbeds(ids));
            Tensor target = Torch.longs(labels, batch, 1);
            Tensor loss = crossEntropy(logits, target).add(crossEntropy(logits.t(), target)).mul(new Scalar(0.5));
            double accuracy = logits.argmax(new LongOptional(1), false)
                    .eq(target.squeeze(1)).to(ScalarType.Float).mean().item_double();
            double value = loss.item_double();
            TrainingSteps.update(loss, optimizer, null, settings.maxGradNorm(), learningRate(step));
            return new StepResult(value, accuracy);
        }
    }

    public double learningRate(long step) {
        return TrainingSteps.cosineLearningRate(step, settings.learningRate(), settings.warmupSteps(), settings.steps());
    }

    /** The losses {@link dev.inkwell.train.TrainingRun} logs for a step. */
    public static Map<String, Double> losses(StepResult result) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", result.loss());
        out.put("accuracy", result.accuracy());
        return out;
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
