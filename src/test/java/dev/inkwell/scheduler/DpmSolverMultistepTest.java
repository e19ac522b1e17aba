package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * DPM-Solver++ 2M has no goldens. Expected values come from a line-by-line numpy transliteration
 * of diffusers 0.30.3 {@code DPMSolverMultistepScheduler} (float32 like torch) on the SD-1.5
 * config (leading spacing, steps_offset 1), plus properties of the method.
 */
class DpmSolverMultistepTest {
    private static final double TOLERANCE = 1e-5;

    private static Scheduler dpm(String spacing) {
        return SchedulerKind.DPMPP_2M.create(Fixtures.sd15With("{\"timestep_spacing\": \"" + spacing + "\"}"));
    }

    @Test
    void timestepsPerSpacing() {
        assertArrayEquals(new double[] {901, 811, 721, 631, 541, 451, 361, 271, 181, 91},
                dpm("leading").start(10).timesteps());
        assertArrayEquals(new double[] {941, 894, 847, 800, 753, 706, 659, 612, 565, 518, 471, 424, 377, 330,
                283, 236, 189, 142, 95, 48}, dpm("leading").start(20).timesteps());
        assertArrayEquals(new double[] {999, 899, 799, 699, 599, 500, 400, 300, 200, 100},
                dpm("linspace").start(10).timesteps());
        assertArrayEquals(new double[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99},
                dpm("trailing").start(10).timesteps());
    }

    @Test
    void sigmasAreTrainingSigmasAtTheTimestepsThenZero() {
        Scheduler s = dpm("leading");
        double[] sigmas = s.start(10).sigmas();
        assertEquals(11, sigmas.length);
        assertEquals(8.390687, sigmas[0], 1e-6);
        assertEquals(5.376337, sigmas[1], 1e-6);
        assertEquals(0.32353323698043823, sigmas[9], 0.0);
        assertEquals(0.0, sigmas[10], 0.0);
        assertEquals(1.0, s.start(10).initNoiseSigma());
    }

    @Test
    void karrasSigmasSpanTheTrainingRange() {
        Scheduler s = SchedulerKind.DPMPP_2M_KARRAS.create(Fixtures.sd15());
        assertEquals(SchedulerKind.DPMPP_2M_KARRAS, s.kind());
        Scheduler.Run run = s.start(10);
        double[] sigmas = run.sigmas();
        double[] train = s.schedule().alphasCumprod();
        assertEquals((float) Math.sqrt((1 - train[999]) / train[999]), sigmas[0], 1e-6 * sigmas[0]);
        assertEquals((float) Math.sqrt((1 - train[0]) / train[0]), sigmas[9], 1e-6 * sigmas[9]);
        assertEquals(14.614645, sigmas[0], 1e-6);
        assertEquals(0.029167532920837402, sigmas[9], 0.0);
        assertEquals(0.0, sigmas[10], 0.0);
        assertArrayEquals(new double[] {999, 916, 815, 687, 523, 327, 146, 41, 7, 0}, run.timesteps());
        double[] t20 = s.start(20).timesteps();
        assertArrayEquals(new double[] {999, 962, 921, 876, 827, 772, 710, 640, 561, 474, 380, 285, 197, 123,
                69, 35, 15, 6, 2, 0}, t20);
        for (int i = 1; i < t20.length; i++) {
            assertTrue(t20[i] < t20[i - 1]);
        }
    }

    /** Steps 0 (first order), 1, 2, 8 (second order) and 9 (first order onto sigma 0) of a 10-step chain. */
    @Test
    void chainEpsilon() {
        float[][] expected = runChain(dpm("leading"), 10);
        assertClose(new double[] {1.8539866209030151, -1.6282703876495361, 0.09123764932155609, 3.067505359649658},
                expected[0]);
        assertClose(new double[] {2.2568724155426025, -2.4472341537475586, 0.4412720203399658, 5.009544372558594},
                expected[1]);
        assertClose(new double[] {3.17109751701355, -2.961137294769287, 1.13267183303833, 7.28181266784668},
                expected[2]);
        assertClose(new double[] {9.01026725769043, -7.284909725189209, 2.926501989364624, 18.52373695373535},
                expected[8]);
        assertClose(new double[] {9.646111488342285, -7.347188472747803, 3.3732879161834717, 19.614564895629883},
                expected[9]);
    }

    @Test
    void chainKarrasVPrediction() {
        SchedulerConfig v = Fixtures.sd15With("{\"prediction_type\": \"v_prediction\"}");
        float[][] expected = runChain(SchedulerKind.DPMPP_2M_KARRAS.create(v), 10);
        assertClose(new double[] {1.4641605615615845, -0.7401528358459473, 0.271994411945343, 1.9966028928756714},
                expected[0]);
        assertClose(new double[] {1.3955695629119873, -0.7482762336730957, 0.3254011273384094, 2.08561372756958},
                expected[1]);
        assertClose(new double[] {1.4255802631378174, -0.6152278184890747, 0.4902731478214264, 2.2022361755371094},
                expected[2]);
        assertClose(new double[] {1.6248397827148438, -0.9465962648391724, -0.046275071799755096,
                1.7625452280044556}, expected[9]);
    }

    /** The first x0 estimate of the chain: epsilon converted with alpha = 1/sqrt(s^2+1), sigma_t = s * alpha. */
    @Test
    void firstStepConvertsEpsilonToX0() {
        Scheduler.Run run = dpm("leading").start(10);
        float[] sample = chainStart();
        float[] eps = modelOutput(0, 4);
        Scheduler.StepResult r = run.step(eps, 0, sample, null);
        double s = run.sigmas()[0];
        double alpha = 1 / Math.sqrt(s * s + 1);
        for (int i = 0; i < 4; i++) {
            assertEquals((sample[i] - s * alpha * eps[i]) / alpha, r.predOriginal()[i], TOLERANCE);
        }
        assertClose(new double[] {5.614580154418945, -14.235795974731445, -3.132580041885376, 16.55124282836914},
                r.predOriginal());
    }

    @Test
    void finalStepWithZeroSigmaReturnsX0() {
        for (int steps : new int[] {5, 10, 20}) {
            Scheduler.StepResult r = runSteps(dpm("leading").start(steps), i -> null)[steps - 1];
            assertArrayEquals(r.predOriginal(), r.prevSample(), 1e-6f);
        }
    }

    @Test
    void stepsMustRunInOrder() {
        Scheduler.Run run = dpm("leading").start(10);
        assertThrows(IllegalStateException.class, () -> run.step(modelOutput(0, 4), 1, chainStart(), null));
    }

    @Test
    void img2imgStartsLateAndNoisesWithVpCoefficients() {
        Scheduler s = dpm("leading");
        Scheduler.Run run = s.start(10, 0.5);
        assertArrayEquals(new double[] {451, 361, 271, 181, 91}, run.timesteps());
        double sigma = run.sigmas()[0];
        double alphaT = 1 / Math.sqrt(sigma * sigma + 1);
        float[] x = {1f, -2f};
        float[] n = {0.5f, 0.25f};
        float[] noisy = run.addNoise(x, n, 0);
        for (int i = 0; i < 2; i++) {
            assertEquals(alphaT * x[i] + sigma * alphaT * n[i], noisy[i], 1e-6);
        }
        // alpha_t and sigma_t agree with sqrt(acp) and sqrt(1 - acp) of timestep 451
        assertEquals(Math.sqrt(s.schedule().alphaCumprod(451)), alphaT, 1e-6);
    }

    static float[] chainStart() {
        return new float[] {1.5f, -0.7f, 0.3f, 2.0f};
    }

    /** The synthetic model output of the reference chains: sin(1 + step + 0.7 j). */
    static float[] modelOutput(int step, int n) {
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = (float) Math.sin(1.0 + step + 0.7 * j);
        }
        return out;
    }

    /**
     * Runs every step of {@code run} from {@link #chainStart()} on the synthetic {@link #modelOutput}s,
     * each step fed its own output; {@code noise} gives each step index's noise.
     */
    static Scheduler.StepResult[] runSteps(Scheduler.Run run, IntFunction<float[]> noise) {
        float[] sample = chainStart();
        Scheduler.StepResult[] out = new Scheduler.StepResult[run.timesteps().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = run.step(modelOutput(i, sample.length), i, sample, noise.apply(i));
            sample = out[i].prevSample();
        }
        return out;
    }

    /** The samples after each step of a {@code steps}-step chain. */
    private static float[][] runChain(Scheduler scheduler, int steps) {
        return Arrays.stream(runSteps(scheduler.start(steps), i -> null))
                .map(Scheduler.StepResult::prevSample).toArray(float[][]::new);
    }

    static void assertClose(double[] expected, float[] actual) {
        assertArrayEquals(expected, Fixtures.toDouble(actual), TOLERANCE);
    }
}
