package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Beta schedules other than the goldens' scaled_linear, and the zero-terminal-SNR rescale. */
class NoiseScheduleTest {
    private static NoiseSchedule schedule(SchedulerKind kind, String json) {
        return kind.create(SchedulerConfig.parse(json)).schedule();
    }

    @Test
    void linearBetasRunFromBetaStartToBetaEnd() {
        NoiseSchedule s = schedule(SchedulerKind.DDPM, "{\"beta_schedule\": \"linear\"}");
        assertEquals(1000, s.size());
        assertEquals(1 - 0.0001f, s.alphaCumprod(0), 0.0);
        double lastBeta = 1 - s.alphaCumprod(999) / s.alphaCumprod(998);
        assertEquals(0.02, lastBeta, 1e-5);
    }

    @Test
    void cosineBetasFollowTheGlideAlphaBar() {
        NoiseSchedule s = schedule(SchedulerKind.DDPM, "{\"beta_schedule\": \"squaredcos_cap_v2\"}");
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t : new int[] {0, 250, 500, 900}) {
            double ft = Math.pow(Math.cos(((t + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(ft / f0, s.alphaCumprod(t), 1e-5, "t=" + t);
        }
    }

    @Test
    void trainedBetasReplaceTheSchedule() {
        NoiseSchedule s = schedule(SchedulerKind.DDIM,
                "{\"num_train_timesteps\": 3, \"trained_betas\": [0.1, 0.2, 0.5]}");
        assertEquals(0.9f * 0.8f * 0.5f, s.alphaCumprod(2), 1e-7);
        assertThrows(IllegalArgumentException.class,
                () -> schedule(SchedulerKind.DDIM, "{\"num_train_timesteps\": 4, \"trained_betas\": [0.1]}"));
    }

    @Test
    void zeroTerminalSnrRescale() {
        String json = "{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"rescale_betas_zero_snr\": true}";
        NoiseSchedule plain = schedule(SchedulerKind.DDIM, json.replace("true", "false"));
        NoiseSchedule ddim = schedule(SchedulerKind.DDIM, json);
        assertEquals(0.0, ddim.alphaCumprod(999), 0.0);
        assertEquals(plain.alphaCumprod(0), ddim.alphaCumprod(0), 1e-6);
        assertTrue(ddim.alphaCumprod(500) < plain.alphaCumprod(500));
        // the sigma-based schedulers keep the largest sigma finite
        assertEquals(0x1p-24, schedule(SchedulerKind.EULER, json).alphaCumprod(999), 0.0);
        double[] sigmas = SchedulerKind.EULER.create(SchedulerConfig.parse(json)).start(10).sigmas();
        assertEquals(4096.0, sigmas[0], 1e-3);
    }
}
