package dev.inkwell.scheduler;

import java.util.Arrays;

/**
 * What every {@link Scheduler.Run} shares: the full {@code set_timesteps} schedule, the img2img
 * begin index into it (diffusers' {@code set_begin_index}), and step-index checking. Indices
 * given by callers are relative to the begin index; the schedule formulas see absolute ones.
 */
abstract class BaseRun implements Scheduler.Run {
    /** All timesteps of the {@code set_timesteps} schedule. */
    final double[] allTimesteps;
    /** All sigmas (timesteps + 1 values) for sigma-based schedulers, else empty. */
    final double[] allSigmas;
    /** Index of the first step that runs (0 unless img2img). */
    final int begin;
    /** Steps taken so far, for solvers that keep a history ({@link #nextInOrder}). */
    private int taken;

    BaseRun(double[] allTimesteps, double[] allSigmas, double strength) {
        this(allTimesteps, allSigmas, allTimesteps.length, strength);
    }

    /**
     * @param steps the inference steps asked for, from which img2img's begin index is counted; PNDM
     *     has more timesteps than steps (it evaluates some twice)
     */
    BaseRun(double[] allTimesteps, double[] allSigmas, int steps, double strength) {
        this.allTimesteps = allTimesteps;
        this.allSigmas = allSigmas;
        this.begin = beginIndex(steps, strength);
    }

    /** diffusers' img2img {@code get_timesteps}: {@code t_start = steps - min(int(steps * strength), steps)}. */
    private static int beginIndex(int steps, double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int initTimestep = Math.min((int) (steps * strength), steps);
        if (initTimestep == 0) {
            throw new IllegalArgumentException("strength " + strength + " leaves no step to run out of " + steps);
        }
        return steps - initTimestep;
    }

    @Override
    public final double[] timesteps() {
        return Arrays.copyOfRange(allTimesteps, begin, allTimesteps.length);
    }

    @Override
    public final double[] sigmas() {
        return allSigmas.length == 0 ? new double[0] : Arrays.copyOfRange(allSigmas, begin, allSigmas.length);
    }

    /** Integer timesteps, as every scheduler but the Euler family's. */
    @Override
    public boolean integerTimesteps() {
        return true;
    }

    @Override
    public double initNoiseSigma() {
        return 1.0;
    }

    @Override
    public float[] scaleModelInput(float[] sample, int stepIndex) {
        index(stepIndex);
        return sample.clone();
    }

    /** The absolute schedule index of a caller's step index, validated. */
    final int index(int stepIndex) {
        int steps = allTimesteps.length - begin;
        if (stepIndex < 0 || stepIndex >= steps) {
            throw new IndexOutOfBoundsException("step index " + stepIndex + " outside [0, " + steps + ")");
        }
        return begin + stepIndex;
    }

    /**
     * For multistep solvers, whose history assumes steps 0, 1, 2, ... in turn: checks that
     * {@code stepIndex} is the next one and returns it, counted.
     */
    final int nextInOrder(int stepIndex, String solver) {
        if (stepIndex != taken) {
            throw new IllegalStateException(solver + " steps must run in order: expected step " + taken + ", got " + stepIndex);
        }
        return taken++;
    }

    /** The noise a noisy step was given, checked. */
    static float[] requireNoise(float[] noise, float[] sample) {
        if (noise == null) {
            throw new IllegalArgumentException("this scheduler needs standard-normal noise at every step");
        }
        NoiseSchedule.requireSameLength(noise, sample);
        return noise;
    }
}
