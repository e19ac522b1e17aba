package dev.inkwell.pipeline;

import java.util.SplittableRandom;

/**
 * Standard-normal noise drawn in Java, so a seed gives the same image on every machine, JDK and
 * backend build: {@link SplittableRandom} seeded with the image's seed supplies uniform doubles,
 * turned into normals by the Box-Muller transform, two at a time. The initial latents are the
 * first values of the stream, in NCHW order; samplers that need fresh noise at each step (Euler
 * ancestral, DDPM) continue the same stream.
 */
public final class GaussianNoise {
    private final SplittableRandom random;
    private double spare = Double.NaN;

    public GaussianNoise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public float[] next(int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) nextGaussian();
        }
        return out;
    }

    private double nextGaussian() {
        if (!Double.isNaN(spare)) {
            double v = spare;
            spare = Double.NaN;
            return v;
        }
        // 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spare = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }
}
