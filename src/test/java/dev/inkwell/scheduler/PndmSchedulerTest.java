package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * PNDM against diffusers' own tests ({@code tests/schedulers/test_scheduler_pndm.py}, checked at
 * huggingface/diffusers 58eb52c): a 10-step schedule's timesteps, and four full loops (Runge-Kutta
 * start, then PLMS) of their model {@code sample * t / (t + 1)} from {@code arange(768) / 768},
 * summed and averaged in absolute value. diffusers' tests allow 1e-2 and 1e-3; these allow half (observed: the
 * sums within 3.2e-3, float32 rounding of a 1000-term cumulative product).
 */
class PndmSchedulerTest {

    private static SchedulerConfig config(String extra) {
        return SchedulerConfig.parse("{\"num_train_timesteps\": 1000, \"beta_start\": 0.0001, \"beta_end\": 0.02,"
                + " \"beta_schedule\": \"linear\"" + extra + "}");
    }

    /** diffusers' test model: {@code sample * t / (t + 1)}. */
    private static float[] model(float[] sample, double timestep) {
        float t = (float) timestep;
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] * t / (t + 1);
        }
        return out;
    }

    /** The loop's sum and mean of |sample| at the end. */
    private static double[] fullLoop(String extra) {
        Scheduler.Run run = SchedulerKind.PNDM.create(config(extra)).start(10);
        float[] sample = new float[768];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = i / 768f;
        }
        for (int k = 0; k < run.timesteps().length; k++) {
            sample = run.step(model(sample, run.timesteps()[k]), k, sample, null).prevSample();
        }
        double sum = 0;
        for (float v : sample) {
            sum += Math.abs(v);
        }
        return new double[] {sum, sum / sample.length};
    }

    private static void assertLoop(double sum, double mean, String extra) {
        double[] got = fullLoop(extra);
        assertEquals(sum, got[0], 5e-3, "sum");
        assertEquals(mean, got[1], 5e-4, "mean");
    }

    @Test
    void timestepsRunTheRungeKuttaStartThenPlms() {
        Scheduler.Run run = SchedulerKind.PNDM.create(config(", \"steps_offset\": 1")).start(10);
        assertArrayEquals(new double[] {901, 851, 851, 801, 801, 751, 751, 701, 701, 651, 651, 601, 601, 501, 401, 301, 201,
                101, 1}, run.timesteps());
    }

    @Test
    void fullLoopNoNoise() {
        assertLoop(198.1318, 0.2580, "");
    }

    @Test
    void fullLoopWithVPrediction() {
        assertLoop(67.3986, 0.0878, ", \"prediction_type\": \"v_prediction\"");
    }

    @Test
    void fullLoopWithSetAlphaToOne() {
        assertLoop(230.0399, 0.2995, ", \"set_alpha_to_one\": true, \"beta_start\": 0.01");
    }

    @Test
    void fullLoopWithoutSetAlphaToOne() {
        assertLoop(186.9482, 0.2434, ", \"set_alpha_to_one\": false, \"beta_start\": 0.01");
    }

    /**
     * SD's configs skip the Runge-Kutta start: PLMS from the first step, the second timestep run twice
     * (a corrector), then orders two, three and four. diffusers' tests have no numbers for this path, so
     * these come from a float32 numpy transliteration of its step_plms on the SD-1.5 config, for the
     * same model from {@code arange(4) / 4 - 0.3}: after steps 0-3 and the last.
     */
    @Test
    void skippingTheRungeKuttaStartRunsPlmsFromTheFirstStep() {
        double[][] epsilon = {
            {-0.29807955026626587, -0.049679938703775406, 0.19871971011161804, 0.4471192955970764},
            {-0.29868948459625244, -0.049781590700149536, 0.19912630319595337, 0.4480341672897339},
            {-0.2949775457382202, -0.04916293919086456, 0.19665169715881348, 0.44246628880500793},
            {-0.289010226726532, -0.04816838726401329, 0.1926734745502472, 0.4335153102874756},
            {-0.15753832459449768, -0.026256391778588295, 0.10502553731203079, 0.23630742728710175}};
        double[][] velocity = {
            {-0.2771088480949402, -0.04618481919169426, 0.18473921716213226, 0.4156632125377655},
            {-0.27795249223709106, -0.046325426548719406, 0.18530167639255524, 0.4169286787509918},
            {-0.2505612373352051, -0.041760221123695374, 0.1670408844947815, 0.3758418560028076},
            {-0.22045159339904785, -0.0367419458925724, 0.1469677835702896, 0.330677330493927},
            {-0.06358997523784637, -0.010598334483802319, 0.042393337935209274, 0.09538494795560837}};
        assertPlmsChain("epsilon", epsilon);
        assertPlmsChain("v_prediction", velocity);
    }

    private static void assertPlmsChain(String prediction, double[][] expected) {
        SchedulerConfig sd15Pndm = Fixtures.sd15With("{\"skip_prk_steps\": true, \"prediction_type\": \"" + prediction + "\"}");
        Scheduler.Run run = SchedulerKind.PNDM.create(sd15Pndm).start(10);
        assertArrayEquals(new double[] {901, 801, 801, 701, 601, 501, 401, 301, 201, 101, 1}, run.timesteps());
        float[] sample = {-0.3f, -0.05f, 0.2f, 0.45f};
        int[] checked = {0, 1, 2, 3, 10};
        int next = 0;
        for (int k = 0; k < run.timesteps().length; k++) {
            sample = run.step(model(sample, run.timesteps()[k]), k, sample, null).prevSample();
            if (k == checked[next]) {
                assertArrayEquals(expected[next], toDoubles(sample), 1e-6, prediction + " after step " + k);
                next++;
            }
        }
    }

    private static double[] toDoubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** img2img counts its begin index in steps asked for, as diffusers' {@code timesteps[t_start * order:]} (order 1). */
    @Test
    void img2imgStartsAtTheStepsAskedForNotTheTimestepsRun() {
        Scheduler plms = SchedulerKind.PNDM.create(Fixtures.sd15With("{\"skip_prk_steps\": true}"));
        assertArrayEquals(new double[] {501, 401, 301, 201, 101, 1}, plms.start(10, 0.5).timesteps());
        assertArrayEquals(new double[] {1}, plms.start(1).timesteps());
    }

    @Test
    void stepsMustRunInOrderAndTheRungeKuttaStartNeedsFour() {
        Scheduler.Run run = SchedulerKind.PNDM.create(config("")).start(10);
        float[] x = {1f};
        assertThrows(IllegalStateException.class, () -> run.step(x, 1, x, null));
        assertThrows(IllegalArgumentException.class, () -> SchedulerKind.PNDM.create(config("")).start(3));
        assertThrows(IllegalArgumentException.class,
                () -> SchedulerKind.PNDM.create(config(", \"prediction_type\": \"sample\"")));
    }
}
