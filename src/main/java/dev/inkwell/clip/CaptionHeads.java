package dev.inkwell.clip;

import dev.inkwell.judge.Attribute;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.weights.RandomSource;
import dev.inkwell.world.CaptionedSample;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Linear classifiers from a text tower's pooled state to the value of each attribute a caption can
 * name: a training aid beside the contrastive loss, dropped after training. The contrastive loss
 * keeps only what the image tower can already tell apart; a small ViT learns colour and setting
 * long before shape, so without these heads the text tower folds the subject and accessory words
 * together and a UNet conditioned on it cannot draw them.
 */
public final class CaptionHeads implements AutoCloseable {
    /** The attributes captions name ({@link dev.inkwell.world.Caption}'s keys). */
    private static final List<Attribute> ATTRIBUTES = List.of(Attribute.SUBJECT, Attribute.COLOUR,
            Attribute.ACCESSORY, Attribute.SETTING, Attribute.POSE, Attribute.SIZE);

    private final Weights weights;
    private final Map<Attribute, Linear> heads = new EnumMap<>(Attribute.class);

    /** Freshly initialised heads over a pooled state of {@code width}, reproducible from {@code seed}. */
    public CaptionHeads(long width, long seed) {
        this.weights = Weights.root(new RandomSource(seed), Precision.FLOAT32);
        for (Attribute a : ATTRIBUTES) {
            heads.put(a, new Linear(weights.at("caption_heads").at(a.key()), width, a.classes(), true));
        }
    }

    /**
     * The mean over attributes of each head's cross-entropy on {@code pooled [B, width]}, counting
     * for each attribute only the samples whose caption names it.
     */
    public Tensor loss(Tensor pooled, List<CaptionedSample> samples) {
        Tensor sum = null;
        for (Attribute a : ATTRIBUTES) {
            long[] labels = samples.stream().mapToLong(s -> a.of(s.scene()).ordinal()).toArray();
            float[] named = new float[labels.length];
            for (int i = 0; i < named.length; i++) {
                named[i] = samples.get(i).caption().namedAttributes().contains(a.key()) ? 1 : 0;
            }
            Tensor head = TrainingSteps.maskedCrossEntropy(heads.get(a).forward(pooled), labels, named);
            sum = sum == null ? head : sum.add(head);
        }
        return sum.div(new Scalar((double) ATTRIBUTES.size()));
    }

    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    @Override
    public void close() {
        weights.close();
    }
}
