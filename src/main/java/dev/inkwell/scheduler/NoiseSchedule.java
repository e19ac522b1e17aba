package dev.inkwell.scheduler;

/**
 * The training noise schedule: betas and {@code alphas_cumprod} over the training timesteps,
 * as the float32 tensors diffusers builds (bit-exact), plus the DDPM forward process used for
 * training and for the timestep-indexed schedulers' {@code add_noise}.
 */
public final class NoiseSchedule {
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    /**
     * Builds the schedule of a resolved config.
     *
     * @param clampTerminal whether to replace the last {@code alphas_cumprod} by 2^-24 after a
     *     zero-terminal-SNR rescale, as the sigma-based schedulers (Euler, DPM-Solver) do so that
     *     the largest sigma stays finite
     */
    static NoiseSchedule of(SchedulerConfig config, boolean clampTerminal) {
        int n = config.numTrainTimesteps();
        if (n < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, got " + n);
        }
        float[] betas = betas(config, n);
        if (config.rescaleBetasZeroSnr()) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        float[] acp = Numerics.torchCumprod(oneMinus(betas));
        if (config.rescaleBetasZeroSnr() && clampTerminal) {
            acp[n - 1] = 0x1p-24f;
        }
        return new NoiseSchedule(acp);
    }

    private static float[] betas(SchedulerConfig config, int n) {
        if (config.trainedBetas() != null) {
            if (config.trainedBetas().size() != n) {
                throw new IllegalArgumentException("trained_betas has " + config.trainedBetas().size()
                        + " values but num_train_timesteps is " + n);
            }
            float[] betas = new float[n];
            for (int i = 0; i < n; i++) {
                betas[i] = config.trainedBetas().get(i).floatValue();
            }
            return betas;
        }
        return switch (config.betaSchedule()) {
            case LINEAR -> Numerics.torchLinspace(config.betaStart(), config.betaEnd(), n);
            case SCALED_LINEAR -> {
                float[] roots = Numerics.torchLinspace(Math.sqrt(config.betaStart()), Math.sqrt(config.betaEnd()), n);
                for (int i = 0; i < n; i++) {
                    roots[i] *= roots[i];
                }
                yield roots;
            }
            case SQUAREDCOS_CAP_V2 -> cosineBetas(n);
        };
    }

    /** diffusers' {@code betas_for_alpha_bar} with the Glide cosine alpha-bar, max beta 0.999. */
    private static float[] cosineBetas(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Lin et al. (arXiv:2305.08891, Algorithm 1), in float32 as diffusers does it. */
    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] sqrtAcp = Numerics.torchCumprod(oneMinus(betas));
        for (int i = 0; i < n; i++) {
            sqrtAcp[i] = (float) Math.sqrt(sqrtAcp[i]);
        }
        float first = sqrtAcp[0];
        float last = sqrtAcp[n - 1];
        float scale = first / (first - last);
        float[] alphaBar = new float[n];
        for (int i = 0; i < n; i++) {
            float shifted = (sqrtAcp[i] - last) * scale;
            alphaBar[i] = shifted * shifted;
        }
        float[] rescaled = new float[n];
        for (int i = 0; i < n; i++) {
            float alpha = i == 0 ? alphaBar[0] : alphaBar[i] / alphaBar[i - 1];
            rescaled[i] = 1 - alpha;
        }
        return rescaled;
    }

    private static float[] oneMinus(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = 1 - x[i];
        }
        return out;
    }

    /** Number of training timesteps. */
    public int size() {
        return alphasCumprod.length;
    }

    /** {@code alphas_cumprod} (float32 values). */
    public double[] alphasCumprod() {
        double[] out = new double[alphasCumprod.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphasCumprod[i];
        }
        return out;
    }

    /** {@code alphas_cumprod[t]}. */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** The variance-exploding noise level of timestep t, {@code sqrt((1 - acp) / acp)} in float32 as diffusers. */
    float sigma(int t) {
        float a = alphasCumprod[t];
        return (float) Math.sqrt((1 - a) / a);
    }

    /** All training sigmas, ascending in t. */
    float[] sigmas() {
        float[] out = new float[alphasCumprod.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = sigma(t);
        }
        return out;
    }

    /** {@code np.log} of the training sigmas, kept in float32 as numpy does. */
    float[] logSigmas() {
        float[] out = sigmas();
        for (int t = 0; t < out.length; t++) {
            out[t] = (float) Math.log(out[t]);
        }
        return out;
    }

    /** The forward process at timestep t: {@code sqrt(acp) * original + sqrt(1 - acp) * noise} (DDPM {@code add_noise}). */
    public float[] addNoise(float[] original, float[] noise, int t) {
        return combine(Math.sqrt(alphasCumprod[t]), original, Math.sqrt(1 - alphasCumprod[t]), noise);
    }

    /** The v-prediction training target at timestep t: {@code sqrt(acp) * noise - sqrt(1 - acp) * sample}. */
    public float[] velocity(float[] sample, float[] noise, int t) {
        return combine(Math.sqrt(alphasCumprod[t]), noise, -Math.sqrt(1 - alphasCumprod[t]), sample);
    }

    /** {@code a * x + b * y} elementwise, in double, rounded once to float. */
    private static float[] combine(double a, float[] x, double b, float[] y) {
        requireSameLength(x, y);
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (a * x[i] + b * y[i]);
        }
        return out;
    }

    static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
        }
    }
}
