package dev.inkwell.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * An exponential moving average of parameters, {@code shadow = decay * shadow + (1 - decay) * p}
 * after each step: the averaged weights sample better than the last ones. Create it outside any
 * {@link PointerScope}; the copies live until {@link #close}.
 */
public final class Ema implements AutoCloseable {
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> shadow = new LinkedHashMap<>();
    private double decay;

    public Ema(Map<String, Tensor> params, double decay) {
        this.params = params;
        this.decay = decay;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            params.forEach((key, p) -> shadow.put(key, p.detach().clone()));
        }
    }

    public void setDecay(double decay) {
        this.decay = decay;
    }

    /** Moves every average towards the parameter's current value. */
    public void update() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Scalar weight = new Scalar(1 - decay);
            params.forEach((key, p) -> shadow.get(key).lerp_(p, weight));
        }
    }

    /** The averaged parameters by key (live tensors, for saving, restoring in place, or sampling). */
    public Map<String, Tensor> shadow() {
        return Collections.unmodifiableMap(shadow);
    }

    @Override
    public void close() {
        shadow.values().forEach(Tensor::close);
        shadow.clear();
    }
}
