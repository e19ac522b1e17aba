package dev.inkwell.train;

import dev.inkwell.tensor.Torch;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * What every trainer's step shares: per-step randomness, the backward-clip-update-average sequence
 * and the cross-entropy of classifier heads.
 */
public final class TrainingSteps {
    private TrainingSteps() {}

    /** The randomness of step {@code step}, drawn from (seed, step) alone so that a resumed run continues bit for bit. */
    public static SplittableRandom random(long seed, long step) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1)));
    }

    /**
     * Backpropagates {@code loss}, clips the gradients to {@code maxGradNorm}, steps the optimizer with
     * {@code lr}, zeroes the gradients and updates {@code ema} (if not null) for step {@code step}; returns the
     * norm before clipping.
     */
    public static double update(Tensor loss, AdamW optimizer, Ema ema, long step, double maxGradNorm, double lr) {
        loss.backward();
        double gradNorm = optimizer.clipGradNorm(maxGradNorm);
        optimizer.step(lr);
        optimizer.zeroGrad();
        if (ema != null) {
            ema.update(step);
        }
        return gradNorm;
    }

    /** Linear warmup over {@code warmup} steps to {@code peak}, then constant. */
    public static double warmupLearningRate(long step, double peak, long warmup) {
        return peak * Math.min(1, (step + 1.0) / Math.max(1, warmup));
    }

    /** Linear warmup over {@code warmup} steps to {@code peak}, then cosine decay to zero at {@code total}. */
    public static double cosineLearningRate(long step, double peak, long warmup, long total) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }

    /**
     * Cross-entropy of {@code logits [B, classes]} against {@code labels}, averaged over the rows
     * with weight 1 (rows weighted 0 do not count; none at all gives 0).
     */
    public static Tensor maskedCrossEntropy(Tensor logits, long[] labels, float[] weights) {
        Tensor target = Torch.longs(labels, labels.length, 1);
        Tensor weight = Torch.floats(weights, weights.length, 1);
        return logits.log_softmax(1).gather(1, target).mul(weight).sum()
                .div(weight.sum().clamp_min(new Scalar(1.0))).neg();
    }
}
