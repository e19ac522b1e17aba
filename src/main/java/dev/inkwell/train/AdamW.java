package dev.inkwell.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) over named parameters, the same update as
 * libtorch's {@code torch::optim::AdamW} without amsgrad. Our own rather than libtorch's because
 * the Java binding exposes no access to that optimizer's per-parameter state, and checkpoints must
 * hold the moments as plain named tensors. The learning rate is passed per step (warmup).
 */
public final class AdamW implements AutoCloseable {

    /** Hyperparameters; {@link #DEFAULT} is betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
    public record Options(double beta1, double beta2, double eps, double weightDecay) {
        public static final Options DEFAULT = new Options(0.9, 0.999, 1e-8, 1e-2);
    }

    private final Map<String, Tensor> params;
    private final Options options;
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvgSq = new LinkedHashMap<>();
    private long steps;

    /**
     * Marks {@code params} as requiring gradients and creates zero moments for each. Create it
     * outside any {@link PointerScope}, like the model, so the moments live until {@link #close}.
     */
    public AdamW(Map<String, Tensor> params, Options options) {
        this.params = params;
        this.options = options;
        params.forEach((key, p) -> {
            p.requires_grad_(true);
            expAvg.put(key, torch.zeros_like(p));
            expAvgSq.put(key, torch.zeros_like(p));
        });
    }

    /** Optimizer steps taken so far (drives the bias correction). */
    public long steps() {
        return steps;
    }

    /**
     * Scales all gradients so that their global L2 norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_}; returns the norm before clipping.
     */
    public double clipGradNorm(double maxNorm) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            double sumSq = 0;
            for (Tensor p : params.values()) {
                Tensor g = p.grad();
                if (g.defined()) {
                    sumSq += g.square().sum().item_double();
                }
            }
            double norm = Math.sqrt(sumSq);
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (Tensor p : params.values()) {
                    Tensor g = p.grad();
                    if (g.defined()) {
                        g.mul_(new Scalar(coef));
                    }
                }
            }
            return norm;
        }
    }

    /** One update with learning rate {@code lr}; parameters without a gradient are left alone. */
    public void step(double lr) {
        steps++;
        double bias1 = 1 - Math.pow(options.beta1(), steps);
        double bias2 = 1 - Math.pow(options.beta2(), steps);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            params.forEach((key, p) -> {
                Tensor g = p.grad();
                if (!g.defined()) {
                    return;
                }
                Tensor m = expAvg.get(key);
                Tensor v = expAvgSq.get(key);
                p.mul_(new Scalar(1 - lr * options.weightDecay()));
                m.mul_(new Scalar(options.beta1())).add_(g, new Scalar(1 - options.beta1()));
                v.mul_(new Scalar(options.beta2())).addcmul_(g, g, new Scalar(1 - options.beta2()));
                Tensor denom = v.sqrt().div(new Scalar(Math.sqrt(bias2))).add_(new Scalar(options.eps()));
                p.addcdiv_(m, denom, new Scalar(-lr / bias1));
            });
        }
    }

    /** Zeroes the gradients in place (they stay allocated, ready for the next backward). */
    public void zeroGrad() {
        try (PointerScope scope = new PointerScope()) {
            for (Tensor p : params.values()) {
                Tensor g = p.grad();
                if (g.defined()) {
                    g.zero_();
                }
            }
        }
    }

    /** The first moments by parameter key (live tensors, for saving). */
    public Map<String, Tensor> expAvg() {
        return Collections.unmodifiableMap(expAvg);
    }

    /** The second moments by parameter key (live tensors, for saving). */
    public Map<String, Tensor> expAvgSq() {
        return Collections.unmodifiableMap(expAvgSq);
    }

    /** Restores the step count (moments are restored in place through {@link #expAvg}/{@link #expAvgSq}). */
    void restoreSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public void close() {
        expAvg.values().forEach(Tensor::close);
        expAvgSq.values().forEach(Tensor::close);
        expAvg.clear();
        expAvgSq.clear();
    }
}
