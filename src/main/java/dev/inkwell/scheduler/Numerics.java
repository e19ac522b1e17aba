package dev.inkwell.scheduler;

import java.util.Arrays;

/**
 * Bit-faithful re-implementations of the few torch / numpy routines the diffusers schedulers
 * build their tables with.
 *
 * <p>Exactness matters here: sigma = sqrt((1 - acp) / acp) near t = 0 divides by 1 - acp ~ 1e-3,
 * so a one-ulp difference in a float32 {@code alphas_cumprod} moves the smallest sigmas by ~1e-4
 * relative. The tables are therefore built exactly as torch 1.13 (CPU) and numpy compute them.
 */
final class Numerics {
    /** Floats per AVX2 vector in torch's vectorized CPU kernels. */
    private static final int TORCH_VEC = 8;

    private Numerics() {
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=float32)} on CPU: float32 step, values from
     * {@code start + step * i} below the midpoint and {@code end - step * (steps - 1 - i)} above it,
     * produced two AVX2 vectors at a time (each vector continues from its first lane with
     * {@code base + j * step}; the first lane is FMA-contracted), the tail element by element.
     */
    static float[] torchLinspace(double start, double end, int steps) {
        float s = (float) start;
        float e = (float) end;
        if (steps == 1) {
            return new float[] {s};
        }
        float step = (e - s) / (steps - 1);
        int half = steps / 2;
        float[] out = new float[steps];
        int vectorEnd = steps / (2 * TORCH_VEC) * (2 * TORCH_VEC);
        for (int i = 0; i < vectorEnd; i += TORCH_VEC) {
            float base = linspaceLane(s, e, step, steps, half, i);
            for (int j = 0; j < TORCH_VEC; j++) {
                out[i + j] = base + step * j;
            }
        }
        for (int i = vectorEnd; i < steps; i++) {
            out[i] = linspaceLane(s, e, step, steps, half, i);
        }
        return out;
    }

    private static float linspaceLane(float s, float e, float step, int steps, int half, int i) {
        return i < half ? Math.fma(step, i, s) : Math.fma(-step, steps - i - 1, e);
    }

    /** {@code torch.cumprod} of a float32 tensor on CPU: accumulated in double, stored as float32. */
    static float[] torchCumprod(float[] x) {
        float[] out = new float[x.length];
        double acc = 1.0;
        for (int i = 0; i < x.length; i++) {
            acc *= x[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /** {@code np.linspace(start, stop, num)} in float64: {@code i * step + start}, the last value exactly {@code stop}. */
    static double[] npLinspace(double start, double stop, int num) {
        if (num == 1) {
            return new double[] {start};
        }
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num - 1; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /**
     * {@code np.arange(start, stop, step)} in float64: length {@code ceil((stop - start) / step)},
     * values {@code start}, {@code start + step}, then {@code start + i * delta} with
     * {@code delta = (start + step) - start}.
     */
    static double[] npArange(double start, double stop, double step) {
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] out = new double[n];
        double second = start + step;
        double delta = second - start;
        for (int i = 0; i < n; i++) {
            out[i] = i == 0 ? start : i == 1 ? second : start + i * delta;
        }
        return out;
    }

    /** {@code np.interp(x, np.arange(len(fp)), fp)}: clamps outside, exact at grid points. */
    static double npInterp(double x, float[] fp) {
        int last = fp.length - 1;
        if (x <= 0) {
            return fp[0];
        }
        if (x >= last) {
            return fp[last];
        }
        int j = (int) Math.floor(x);
        if (x == j) {
            return fp[j];
        }
        double slope = (double) fp[j + 1] - fp[j];
        return slope * (x - j) + fp[j];
    }

    /** Values rounded to float32, as {@code .astype(np.float32)}. */
    static double[] float32(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** {@code np.concatenate([sigmas, [last]]).astype(np.float32)}: a schedule's sigmas with the final one. */
    static double[] withFinalSigma(double[] sigmas, double last) {
        double[] out = float32(Arrays.copyOf(sigmas, sigmas.length + 1));
        out[sigmas.length] = (float) last;
        return out;
    }

    /** Karras et al. (2022) noise levels, rho 7, as diffusers' {@code _convert_to_karras}. */
    static double[] karrasSigmas(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] ramp = npLinspace(0, 1, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /**
     * diffusers' {@code _sigma_to_t}: the fractional training timestep whose sigma is {@code sigma},
     * by linear interpolation in log-sigma. {@code logSigmas} is float32 (numpy keeps the dtype),
     * so the bracket search compares in float32, as numpy's value-based casting does.
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        float logSigma32 = (float) logSigma;
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma32 - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        int high = low + 1;
        double w = (logSigmas[low] - logSigma) / (double) (logSigmas[low] - logSigmas[high]);
        w = Math.min(Math.max(w, 0), 1);
        return (1 - w) * low + w * high;
    }
}
