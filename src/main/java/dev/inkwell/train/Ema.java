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
    private final double decay;

    /** @param decay the decay once warmed up (see {@link #update}) */
    public Ema(Map<String, Tensor> params, double decay) {
        this.params = params;
        this.decay = decay;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            params.forEach((key, p) -> shadow.put(key, p.detach().clone()));
        }
    }

    /**
     * Moves every average towards the parameter's current value after step {@code step} (0-based),
     * with the decay warmed up to {@code min(decay, (1 + step) / (10 + step))} so that a short run is
     * not dominated by the random initialisation.
     */
    public void update(long step) {
        double warmed = Math.min(decay, (1.0 + step) / (10.0 + step));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Scalar weight = new Scalar(1 - warmed);
            params.forEach((key, p) -> shadow.get(key).lerp_(p, weight));
        }
    }

    /** Writes the averages into the parameters themselves, for saving or sampling the averaged model. */
    public void copyToParameters() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            shadow.forEach((key, average) -> params.get(key).copy_(average));
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
