package dev.inkwell.scheduler;

import dev.inkwell.scheduler.SchedulerConfig.TimestepSpacing;
import java.util.Arrays;

/**
 * The inference timesteps of {@code set_timesteps}, descending, for the three spacings.
 *
 * <p>The diffusers classes differ in small ways, captured by {@link Style}: DDIM/DDPM round
 * linspace values to integers, the Euler family keeps them fractional, and DPM-Solver spaces
 * {@code steps + 1} points and drops the last (t = 0) for linspace and leading.
 */
final class Spacing {
    /** The per-class variant of the spacing formulas. */
    enum Style {
        /** DDIM, DDPM: integer timesteps. */
        ROUNDED(0, true),
        /** Euler, Euler ancestral: linspace keeps fractional timesteps. */
        FRACTIONAL(0, false),
        /** DPM-Solver: one extra point for linspace and leading, then dropped. */
        ROUNDED_EXTRA_POINT(1, true);

        private final int extraPoints;
        private final boolean roundLinspace;

        Style(int extraPoints, boolean roundLinspace) {
            this.extraPoints = extraPoints;
            this.roundLinspace = roundLinspace;
        }
    }

    private Spacing() {
    }

    /** Rejects step counts outside [1, num_train_timesteps]. */
    static void requireValidSteps(SchedulerConfig config, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("number of inference steps must be positive, got " + steps);
        }
        if (steps > config.numTrainTimesteps()) {
            throw new IllegalArgumentException("number of inference steps (" + steps
                    + ") cannot exceed num_train_timesteps (" + config.numTrainTimesteps() + ")");
        }
    }

    /** Descending timesteps of a {@code steps}-step schedule, validating the step count. */
    static double[] timesteps(SchedulerConfig config, int steps, Style style) {
        requireValidSteps(config, steps);
        int train = config.numTrainTimesteps();
        int points = steps + style.extraPoints;
        TimestepSpacing spacing = config.timestepSpacing();
        double[] out = switch (spacing) {
            case LINSPACE -> {
                double[] ascending = Numerics.npLinspace(0, train - 1, points);
                double[] t = new double[steps];
                for (int i = 0; i < steps; i++) {
                    double v = ascending[points - 1 - i];
                    t[i] = style.roundLinspace ? Math.rint(v) : v;
                }
                yield t;
            }
            case LEADING -> {
                int ratio = train / points;
                double[] t = new double[steps];
                for (int i = 0; i < steps; i++) {
                    t[i] = (double) (points - 1 - i) * ratio + config.stepsOffset();
                }
                yield t;
            }
            case TRAILING -> {
                double[] t = Numerics.npArange(train, 0, -(double) train / steps);
                for (int i = 0; i < t.length; i++) {
                    t[i] = Math.rint(t[i]) - 1;
                }
                yield t;
            }
        };
        if (Arrays.stream(out).anyMatch(t -> t < 0 || t >= train)) {
            throw new IllegalArgumentException("diffusers' " + spacing.jsonName() + " spacing gives timesteps "
                    + Arrays.toString(out) + " for " + steps + " steps, outside [0, " + train
                    + "); choose another number of steps or spacing");
        }
        return out;
    }
}
