package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 20-step golden chains: the SD-1.5 DDIM config switched to each scheduler, fed the golden
 * model outputs (and, for Euler ancestral, the golden noises), compared at every step.
 *
 * <p>Latents reach |x| ~ 60, where a float32 ulp is ~4e-6; the reference computed in float32,
 * we in double, so free-running chains drift apart by a few ulps (README bound: 1e-4), while a
 * single step from the golden input agrees to about one ulp.
 */
class GoldenChainTest {
    private static final double CHAIN_TOLERANCE = 1e-4;
    private static final double STEP_TOLERANCE = 1e-5;

    @Test
    void alphasCumprodIsBitExact() {
        float[] expected = GoldenTensors.load("reference/goldens/schedulers-common.safetensors").f32("alphas_cumprod");
        double[] actual = SchedulerKind.DDIM.create(Fixtures.sd15()).schedule().alphasCumprod();
        assertArrayEquals(Fixtures.toDouble(expected), actual, 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddim", "euler", "euler_a"})
    void freeRunningChainMatchesEveryStep(String name) {
        runChain(name, false, CHAIN_TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddim", "euler", "euler_a"})
    void eachStepFromGoldenInputMatches(String name) {
        runChain(name, true, STEP_TOLERANCE);
    }

    private static void runChain(String name, boolean fromGoldenInputs, double tolerance) {
        GoldenTensors g = GoldenTensors.load("reference/goldens/schedulers-" + name + ".safetensors");
        Scheduler scheduler = SchedulerKind.fromName(name).create(Fixtures.sd15());
        Scheduler.Run run = scheduler.start(20);
        double[] timesteps = run.integerTimesteps()
                ? Fixtures.toDouble(g.i64("chain20_timesteps"))
                : Fixtures.toDouble(g.f32("chain20_timesteps"));
        assertArrayEquals(timesteps, run.timesteps());

        float[] sample = g.f32("chain20_sample_init");
        double worst = 0;
        for (int i = 0; i < 20; i++) {
            float[] scaled = run.scaleModelInput(sample, i);
            float[] noise = scheduler.needsNoise() ? g.f32Row("chain20_noises", i) : null;
            Scheduler.StepResult r = run.step(g.f32Row("chain20_model_outputs", i), i, sample, noise);
            double scaledErr = Fixtures.maxAbsDiff(g.f32Row("chain20_scaled_inputs", i), scaled);
            double prevErr = Fixtures.maxAbsDiff(g.f32Row("chain20_prev_samples", i), r.prevSample());
            double x0Err = Fixtures.maxAbsDiff(g.f32Row("chain20_pred_original", i), r.predOriginal());
            double err = Math.max(scaledErr, Math.max(prevErr, x0Err));
            assertTrue(err <= tolerance,
                    name + " step " + i + ": scaled " + scaledErr + ", prev " + prevErr + ", x0 " + x0Err);
            worst = Math.max(worst, err);
            sample = fromGoldenInputs ? g.f32Row("chain20_prev_samples", i) : r.prevSample();
        }
        System.out.printf("%s %s: max abs error %.3g%n", name, fromGoldenInputs ? "per step" : "chain", worst);
    }
}
