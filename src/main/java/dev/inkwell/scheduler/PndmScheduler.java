package dev.inkwell.scheduler;

import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * diffusers' {@code PNDMScheduler}, the default of the SD 1.x and 2.x repositories: Liu et al.,
 * "Pseudo Numerical Methods for Diffusion Models on Manifolds", arXiv:2202.09778, formula (9) for
 * each step. It starts with pseudo Runge-Kutta steps (four model outputs for each of the first
 * three steps, 12 calls) and then runs the fourth-order linear multistep method (PLMS) on the
 * last four outputs. With {@code skip_prk_steps}, as SD's configs set, PLMS runs from the first
 * step and warms up at lower orders, evaluating the second timestep twice (so {@code steps + 1}
 * model calls), as diffusers does. Steps must run in order.
 */
public final class PndmScheduler extends Scheduler {
    /** The method's order: PLMS combines this many outputs, and the Runge-Kutta start makes the first ones. */
    private static final int ORDER = 4;

    /** {@code alphas_cumprod} "before" t = 0: 1 with set_alpha_to_one, else {@code alphas_cumprod[0]}. */
    private final double finalAlphaCumprod;

    PndmScheduler(SchedulerConfig config) {
        super(SchedulerKind.PNDM, Prediction.rejectSample(config, "PNDM"), false);
        this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : schedule().alphaCumprod(0);
    }

    @Override
    public Run start(int steps, double strength) {
        double[] base = Spacing.timesteps(config(), steps, Spacing.Style.ROUNDED);
        int stride = config().numTrainTimesteps() / steps;
        if (config().skipPrkSteps()) {
            return new PndmRun(new double[0], duplicateSecond(base), stride, steps, strength);
        }
        if (steps < ORDER) {
            throw new IllegalArgumentException("PNDM's Runge-Kutta start needs at least " + ORDER + " steps, not " + steps
                    + " (a scheduler config with skip_prk_steps true, as SD's, runs PLMS from the first step)");
        }
        double[] prk = rungeKuttaTimesteps(base, stride / 2);
        double[] all = Arrays.copyOf(prk, prk.length + steps - (ORDER - 1));
        System.arraycopy(base, ORDER - 1, all, prk.length, steps - (ORDER - 1));
        return new PndmRun(prk, all, stride, steps, strength);
    }

    /** PLMS from the start: the descending timesteps with the second one twice (the warm-up's corrector). */
    private static double[] duplicateSecond(double[] base) {
        if (base.length < 2) {
            return base;
        }
        double[] out = new double[base.length + 1];
        out[0] = base[0];
        System.arraycopy(base, 1, out, 2, base.length - 1);
        out[1] = base[1];
        return out;
    }

    /**
     * Four calls for each of the first {@link #ORDER} - 1 steps, from t to the next timestep s = t - stride:
     * at t, twice at the midpoint s + h, and at s.
     */
    private static double[] rungeKuttaTimesteps(double[] base, int half) {
        double[] out = new double[4 * (ORDER - 1)];
        for (int k = 0; k < ORDER - 1; k++) {
            double next = base[k + 1];
            out[4 * k] = base[k];
            out[4 * k + 1] = next + half;
            out[4 * k + 2] = next + half;
            out[4 * k + 3] = next;
        }
        return out;
    }

    private final class PndmRun extends BaseRun {
        private final double[] prk;
        private final int stride;
        /** Model outputs of past steps, the last four at most. */
        private final List<float[]> ets = new ArrayList<>();
        /** How many steps came before this one (diffusers' {@code counter}). */
        private int counter;
        /** The Runge-Kutta weighted sum of this step's outputs so far. */
        private float[] rungeKuttaSum;
        /** The sample a multi-call step started from. */
        private float[] start;

        PndmRun(double[] prk, double[] all, int stride, int steps, double strength) {
            super(all, new double[0], steps, strength);
            this.prk = prk;
            this.stride = stride;
        }

        @Override
        public StepResult step(float[] modelOutput, int stepIndex, float[] sample, float[] noise) {
            NoiseSchedule.requireSameLength(modelOutput, sample);
            counter = nextInOrder(stepIndex, "PNDM");
            int t = (int) allTimesteps[index(stepIndex)];
            return counter < prk.length ? rungeKutta(modelOutput, t, sample) : linearMultistep(modelOutput, t, sample);
        }

        /** diffusers' step_prk: calls 0-3 of each group evaluate at t, t - h, t - h, t - stride. */
        private StepResult rungeKutta(float[] output, int t, float[] sample) {
            int prev = t - (counter % 2 == 1 ? 0 : stride / 2);
            int from = (int) prk[counter / 4 * 4];
            float[] used = output;
            switch (counter % 4) {
                case 0 -> {
                    accumulate(output, 1.0 / 6);
                    ets.add(output);
                    start = sample;
                }
                case 1, 2 -> accumulate(output, 1.0 / 3);
                default -> {
                    used = new float[output.length];
                    for (int i = 0; i < used.length; i++) {
                        used[i] = rungeKuttaSum[i] + (float) (output[i] / 6.0);
                    }
                    rungeKuttaSum = null;
                }
            }
            return formulaNine(start, from, prev, used);
        }

        private void accumulate(float[] output, double weight) {
            if (rungeKuttaSum == null) {
                rungeKuttaSum = new float[output.length];
            }
            for (int i = 0; i < output.length; i++) {
                rungeKuttaSum[i] += (float) (output[i] * weight);
            }
        }

        /** diffusers' step_plms: Adams-Bashforth on the last outputs, second order and a corrector to start. */
        private StepResult linearMultistep(float[] output, int t, float[] sample) {
            int prev = t - stride;
            if (counter == 1) {
                prev = t;
                t += stride;
            } else {
                while (ets.size() > ORDER - 1) {
                    ets.remove(0);
                }
                ets.add(output);
            }
            int n = ets.size();
            float[] used;
            float[] from = sample;
            if (n == 1 && counter == 0) {
                used = output;
                start = sample;
            } else if (n == 1 && counter == 1) {
                float[] first = ets.get(0);
                used = new float[output.length];
                for (int i = 0; i < used.length; i++) {
                    used[i] = (output[i] + first[i]) / 2;
                }
                from = start;
                start = null;
            } else {
                float[] e1 = ets.get(n - 1);
                float[] e2 = ets.get(n - 2);
                used = new float[output.length];
                for (int i = 0; i < used.length; i++) {
                    used[i] = switch (n) {
                        case 2 -> (3 * e1[i] - e2[i]) / 2;
                        case 3 -> (23 * e1[i] - 16 * e2[i] + 5 * ets.get(0)[i]) / 12;
                        default -> (55 * e1[i] - 59 * e2[i] + 37 * ets.get(1)[i] - 9 * ets.get(0)[i]) / 24;
                    };
                }
            }
            return formulaNine(from, t, prev, used);
        }

        /** The PNDM paper's formula (9): from {@code sample} at timestep t to {@code prev} with the noise estimate of {@code output}. */
        private StepResult formulaNine(float[] sample, int t, int prev, float[] output) {
            double acp = schedule().alphaCumprod(t);
            double acpPrev = prev >= 0 ? schedule().alphaCumprod(prev) : finalAlphaCumprod;
            double alpha = Math.sqrt(acp);
            double sigma = Math.sqrt(1 - acp);
            double sampleCoeff = Math.sqrt(acpPrev / acp);
            double denominator = acp * Math.sqrt(1 - acpPrev) + Math.sqrt(acp * (1 - acp) * acpPrev);
            PredictionType type = config().predictionType();
            float[] prevSample = new float[sample.length];
            float[] x0 = new float[sample.length];
            for (int i = 0; i < sample.length; i++) {
                double estimate = Prediction.x0(type, sample[i], output[i], alpha, sigma);
                double eps = Prediction.epsilon(type, sample[i], output[i], estimate, alpha, sigma);
                prevSample[i] = (float) (sampleCoeff * sample[i] - (acpPrev - acp) * eps / denominator);
                x0[i] = (float) estimate;
            }
            return new StepResult(prevSample, x0);
        }

        @Override
        public float[] addNoise(float[] original, float[] noise, int stepIndex) {
            return schedule().addNoise(original, noise, (int) allTimesteps[index(stepIndex)]);
        }
    }
}
