package dev.inkwell.scheduler;

import static dev.inkwell.scheduler.Fixtures.sd15With;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Euler-family behaviour beyond the goldens: img2img, v-prediction, Karras sigmas. */
class EulerSchedulerTest {
    @Test
    void img2imgRunsTheTailOfTheSchedule() {
        GoldenTensors g = GoldenTensors.load("reference/goldens/schedulers-euler.safetensors");
        Scheduler s = SchedulerKind.EULER.create(Fixtures.sd15());
        Scheduler.Run full = s.start(20);
        Scheduler.Run run = s.start(20, 0.6);
        double[] golden = Fixtures.toDouble(g.f32("leading_n20_timesteps"));
        assertArrayEquals(Arrays.copyOfRange(golden, 8, 20), run.timesteps());
        assertArrayEquals(Arrays.copyOfRange(full.sigmas(), 8, 21), run.sigmas());
        assertEquals(full.initNoiseSigma(), run.initNoiseSigma());
        float[] x = {1f, -2f};
        float[] n = {0.5f, 0.25f};
        double sigma = run.sigmas()[0];
        assertArrayEquals(new float[] {(float) (1 + 0.5 * sigma), (float) (-2 + 0.25 * sigma)},
                run.addNoise(x, n, 0));
        // the same step of the full and the img2img schedule agree
        float[] out = DpmSolverMultistepTest.modelOutput(0, 2);
        assertArrayEquals(full.step(out, 8, x, null).prevSample(), run.step(out, 0, x, null).prevSample());
        assertArrayEquals(full.scaleModelInput(x, 8), run.scaleModelInput(x, 0));
    }

    @Test
    void ddimImg2imgNoisesWithTheTimestepsAlphaCumprod() {
        Scheduler s = SchedulerKind.DDIM.create(Fixtures.sd15());
        Scheduler.Run run = s.start(20, 0.5);
        assertEquals(10, run.timesteps().length);
        assertEquals(451.0, run.timesteps()[0]);
        float[] x = {1f};
        float[] n = {0.5f};
        double acp = s.schedule().alphaCumprod(451);
        assertEquals(Math.sqrt(acp) + 0.5 * Math.sqrt(1 - acp), run.addNoise(x, n, 0)[0], 1e-6);
    }

    /** v-prediction: x0 = -sigma/sqrt(sigma^2+1) * v + x/(sigma^2+1); an exact v recovers x0. */
    @Test
    void vPredictionRecoversX0FromTheExactVelocity() {
        for (SchedulerKind kind : new SchedulerKind[] {SchedulerKind.EULER, SchedulerKind.EULER_A}) {
            Scheduler s = kind.create(sd15With("{\"prediction_type\": \"v_prediction\"}"));
            Scheduler.Run run = s.start(10);
            float[] x0 = {0.3f, -0.8f};
            float[] n = {1.1f, 0.2f};
            int t = (int) run.timesteps()[2];
            float[] noisy = run.addNoise(x0, n, 2);
            float[] v = s.schedule().velocity(x0, n, t);
            float[] recovered = run.step(v, 2, noisy, new float[2]).predOriginal();
            assertArrayEquals(x0, recovered, 1e-5f, kind.cliName());
        }
    }

    @Test
    void continuousTimestepsForVPredictionAreQuarterLogSigma() {
        Scheduler.Run run = SchedulerKind.EULER.create(
                sd15With("{\"prediction_type\": \"v_prediction\", \"timestep_type\": \"continuous\"}")).start(10);
        for (int i = 0; i < 10; i++) {
            assertEquals(0.25 * Math.log(run.sigmas()[i]), run.timesteps()[i], 1e-6);
        }
    }

    @Test
    void karrasSigmasSpanTheInterpolatedEndpoints() {
        Scheduler.Run plain = SchedulerKind.EULER.create(Fixtures.sd15()).start(10);
        Scheduler.Run karras = SchedulerKind.EULER.create(sd15With("{\"use_karras_sigmas\": true}")).start(10);
        assertEquals(plain.sigmas()[0], karras.sigmas()[0], 1e-6 * plain.sigmas()[0]);
        assertEquals(plain.sigmas()[9], karras.sigmas()[9], 1e-6 * plain.sigmas()[9]);
        assertEquals(901.0, karras.timesteps()[0], 1e-3);
        assertEquals(1.0, karras.timesteps()[9], 1e-3);
        for (int i = 1; i < 10; i++) {
            assertTrue(karras.timesteps()[i] < karras.timesteps()[i - 1]);
        }
    }

    @Test
    void ancestralNeedsNoise() {
        Scheduler s = SchedulerKind.EULER_A.create(Fixtures.sd15());
        assertTrue(s.needsNoise());
        assertThrows(IllegalArgumentException.class,
                () -> s.start(10).step(new float[2], 0, new float[2], null));
        assertThrows(IllegalArgumentException.class,
                () -> SchedulerKind.EULER_A.create(sd15With("{\"prediction_type\": \"sample\"}")));
    }
}
