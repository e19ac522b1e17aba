package dev.inkwell.scheduler;

import static dev.inkwell.scheduler.DpmSolverMultistepTest.assertClose;
import static dev.inkwell.scheduler.DpmSolverMultistepTest.runSteps;
import static dev.inkwell.scheduler.DpmSolverMultistepTest.chainStart;
import static dev.inkwell.scheduler.DpmSolverMultistepTest.modelOutput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * DDPM has no goldens: expected values come from a numpy transliteration of diffusers 0.30.3
 * {@code DDPMScheduler.step} (fixed_small variance, float32) on the SD-1.5 config, with the
 * variance noise cos(2 + step + 0.3 j).
 */
class DdpmSchedulerTest {
    private static float[] noise(int step, int n) {
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = (float) Math.cos(2.0 + step + 0.3 * j);
        }
        return out;
    }

    private static float[][][] chain(String prediction) {
        SchedulerConfig c = Fixtures.sd15With("{\"prediction_type\": \"" + prediction + "\"}");
        Scheduler.Run run = SchedulerKind.DDPM.create(c).start(10);
        assertArrayEquals(new double[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1}, run.timesteps());
        return Arrays.stream(runSteps(run, i -> noise(i, 4)))
                .map(r -> new float[][] {r.prevSample(), r.predOriginal()}).toArray(float[][][]::new);
    }

    @Test
    void chainEpsilon() {
        float[][][] c = chain("epsilon");
        assertClose(new double[] {1.2556955814361572, -2.6431000232696533, -0.8583834171295166, 2.4353127479553223},
                c[0][0]);
        assertClose(new double[] {5.614581108093262, -14.235795974731445, -3.132580280303955, 16.55124282836914},
                c[0][1]);
        assertClose(new double[] {2.2325055599212646, -15.250625610351562, -3.058495044708252, 15.88593578338623},
                c[9][0]);
    }

    @Test
    void chainVPrediction() {
        float[][][] c = chain("v_prediction");
        assertClose(new double[] {0.5055655241012573, -1.0683355331420898, -0.5597286224365234, 0.4793514609336853},
                c[0][0]);
        assertClose(new double[] {-0.6580444574356079, -1.0675358772277832, -0.6352139711380005, 0.1953960508108139},
                c[0][1]);
        assertClose(new double[] {-0.19858871400356293, -0.3802106976509094, -0.08853405714035034,
                0.2840409576892853}, c[9][0]);
    }

    /** A model predicting the exact training target recovers the clean sample, for epsilon and v. */
    @Test
    void exactTargetsRecoverTheCleanSample() {
        float[] x0 = {0.8f, -0.3f, 0.1f};
        float[] n = {-1.2f, 0.4f, 2.0f};
        for (String prediction : new String[] {"epsilon", "v_prediction"}) {
            Scheduler s = SchedulerKind.DDPM.create(Fixtures.sd15With("{\"prediction_type\": \"" + prediction + "\"}"));
            Scheduler.Run run = s.start(10);
            int t = (int) run.timesteps()[3];
            float[] noisy = s.schedule().addNoise(x0, n, t);
            assertArrayEquals(noisy, run.addNoise(x0, n, 3));
            float[] target = prediction.equals("epsilon") ? n : s.schedule().velocity(x0, n, t);
            float[] recovered = run.step(target, 3, noisy, noise(3, x0.length)).predOriginal();
            assertArrayEquals(x0, recovered, 1e-5f, prediction);
        }
    }

    @Test
    void addNoiseAndVelocityFollowTheForwardProcess() {
        NoiseSchedule schedule = SchedulerKind.DDPM.create(Fixtures.sd15()).schedule();
        double acp = schedule.alphaCumprod(500);
        float[] x = {1f, -0.5f};
        float[] n = {0.25f, 2f};
        float[] noisy = schedule.addNoise(x, n, 500);
        float[] v = schedule.velocity(x, n, 500);
        for (int i = 0; i < 2; i++) {
            assertEquals(Math.sqrt(acp) * x[i] + Math.sqrt(1 - acp) * n[i], noisy[i], 1e-6);
            assertEquals(Math.sqrt(acp) * n[i] - Math.sqrt(1 - acp) * x[i], v[i], 1e-6);
        }
    }

    @Test
    void needsNoiseExceptAtTimestepZero() {
        Scheduler s = SchedulerKind.DDPM.create(Fixtures.sd15());
        assertEquals(true, s.needsNoise());
        Scheduler.Run run = s.start(10);
        assertThrows(IllegalArgumentException.class, () -> run.step(modelOutput(0, 4), 0, chainStart(), null));
        SchedulerConfig linspace = Fixtures.sd15With("{\"timestep_spacing\": \"linspace\"}");
        Scheduler.Run toZero = SchedulerKind.DDPM.create(linspace).start(10);
        assertEquals(0.0, toZero.timesteps()[9]);
        assertEquals(4, toZero.step(modelOutput(0, 4), 9, chainStart(), null).prevSample().length);
    }

    /** A config without clip_sample (SDXL's Euler file) gets DDPM's default: x0 clipped to [-1, 1]. */
    @Test
    void clipSampleDefaultsOnWhenTheFileLacksIt() {
        Scheduler s = SchedulerKind.DDPM.create(Fixtures.sdxl());
        float[] x0 = s.start(10).step(modelOutput(0, 4), 0, chainStart(), noise(0, 4)).predOriginal();
        assertArrayEquals(new float[] {1f, -1f, -1f, 1f}, x0);
    }
}
