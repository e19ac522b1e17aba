package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.scheduler.SchedulerConfig.BetaSchedule;
import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import dev.inkwell.scheduler.SchedulerConfig.TimestepSpacing;
import org.junit.jupiter.api.Test;

/** Parsing and diffusers' {@code from_config} semantics when switching schedulers. */
class SchedulerConfigTest {
    @Test
    void parsesTheSd15File() {
        SchedulerConfig c = Fixtures.sd15();
        assertEquals("DDIMScheduler", c.className());
        assertEquals(1000, c.numTrainTimesteps());
        assertEquals(0.00085, c.betaStart());
        assertEquals(0.012, c.betaEnd());
        assertEquals(BetaSchedule.SCALED_LINEAR, c.betaSchedule());
        assertNull(c.trainedBetas());
        assertEquals(TimestepSpacing.LEADING, c.timestepSpacing());
        assertEquals(1, c.stepsOffset());
        assertEquals(PredictionType.EPSILON, c.predictionType());
        assertFalse(c.setAlphaToOne());
        assertFalse(c.clipSample());
        assertNull(c.useKarrasSigmas());
    }

    @Test
    void defaultKindIsTheModelsOwnScheduler() {
        assertEquals(SchedulerKind.DDIM, Fixtures.sd15().defaultKind());
        assertEquals(SchedulerKind.EULER, Fixtures.sdxl().defaultKind());
        assertEquals(SchedulerKind.DPMPP_2M_KARRAS, SchedulerConfig.parse(
                "{\"_class_name\": \"DPMSolverMultistepScheduler\", \"use_karras_sigmas\": true}").defaultKind());
    }

    @Test
    void keysInTheFileCarryOverAndMissingKeysTakeTheNewClassDefaults() {
        SchedulerConfig dpm = SchedulerKind.DPMPP_2M.resolve(Fixtures.sd15());
        assertEquals(TimestepSpacing.LEADING, dpm.timestepSpacing());
        assertEquals(1, dpm.stepsOffset());
        assertEquals("zero", dpm.finalSigmasType());
        assertFalse(dpm.useKarrasSigmas());
        assertTrue(SchedulerKind.DPMPP_2M_KARRAS.resolve(Fixtures.sd15()).useKarrasSigmas());
        // nothing given: DPMSolverMultistepScheduler's own defaults
        SchedulerConfig bare = SchedulerKind.DPMPP_2M.resolve(SchedulerConfig.EMPTY);
        assertEquals(TimestepSpacing.LINSPACE, bare.timestepSpacing());
        assertEquals(0, bare.stepsOffset());
        assertEquals(BetaSchedule.LINEAR, bare.betaSchedule());
        assertEquals(0.0001, bare.betaStart());
        assertEquals(0.02, bare.betaEnd());
        // the SDXL Euler file has no clip_sample / set_alpha_to_one: DDIM's defaults (true) apply
        SchedulerConfig ddim = SchedulerKind.DDIM.resolve(Fixtures.sdxl());
        assertTrue(ddim.clipSample());
        assertTrue(ddim.setAlphaToOne());
        assertEquals("EulerDiscreteScheduler", ddim.className());
        assertEquals(SchedulerKind.EULER, SchedulerKind.EULER.create(Fixtures.sd15()).kind());
    }

    @Test
    void keysListedAsDefaultedCountAsAbsent() {
        SchedulerConfig c = SchedulerConfig.parse("""
                {"timestep_spacing": "leading", "steps_offset": 1, "_use_default_values": ["timestep_spacing"]}""");
        assertNull(c.timestepSpacing());
        assertEquals(TimestepSpacing.LINSPACE, SchedulerKind.EULER.resolve(c).timestepSpacing());
        assertEquals(1, SchedulerKind.EULER.resolve(c).stepsOffset());
    }

    @Test
    void overridesWinOverTheFile() {
        SchedulerConfig c = SchedulerConfig.parse("{\"prediction_type\": \"v_prediction\"}").orElse(Fixtures.sd15());
        assertEquals(PredictionType.V_PREDICTION, c.predictionType());
        assertEquals(TimestepSpacing.LEADING, c.timestepSpacing());
    }

    @Test
    void badConfigsAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfig.parse("{\"beta_schedule\": \"sigmoid\"}"));
        assertEquals("unsupported beta_schedule 'sigmoid'; supported: linear, scaled_linear, squaredcos_cap_v2",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.parse("{\"timestep_spacing\": 3}"));
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.parse("[1]"));
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfig.parse("{"));
        SchedulerConfig thresholding = SchedulerConfig.parse("{\"thresholding\": true}");
        assertThrows(IllegalArgumentException.class, () -> SchedulerKind.DDIM.create(thresholding));
        SchedulerConfig variance = SchedulerConfig.parse("{\"variance_type\": \"learned_range\"}");
        assertThrows(IllegalArgumentException.class, () -> SchedulerKind.DDPM.create(variance));
        SchedulerConfig interpolation = SchedulerConfig.parse("{\"interpolation_type\": \"log_linear\"}");
        assertThrows(IllegalArgumentException.class, () -> SchedulerKind.EULER.create(interpolation));
    }

    @Test
    void badStepCountsAreRejected() {
        for (SchedulerKind kind : SchedulerKind.values()) {
            Scheduler s = kind.create(Fixtures.sd15());
            assertThrows(IllegalArgumentException.class, () -> s.start(0), kind.cliName());
            assertThrows(IllegalArgumentException.class, () -> s.start(1001), kind.cliName());
            assertThrows(IllegalArgumentException.class, () -> s.start(20, 0.01), kind.cliName());
            assertThrows(IllegalArgumentException.class, () -> s.start(20, 1.5), kind.cliName());
        }
        // leading + steps_offset 1 would reach timestep 1000 at 1000 steps
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerKind.DDIM.create(Fixtures.sd15()).start(1000));
        assertTrue(e.getMessage().contains("outside [0, 1000)"), e.getMessage());
    }

    @Test
    void namesAndClassNames() {
        for (SchedulerKind kind : SchedulerKind.values()) {
            assertEquals(kind, SchedulerKind.fromName(kind.cliName()));
            assertEquals(kind, kind.create(Fixtures.sd15()).kind());
        }
        assertEquals(SchedulerKind.EULER, SchedulerKind.fromClassName("EulerDiscreteScheduler"));
        assertEquals(SchedulerKind.DPMPP_2M, SchedulerKind.fromClassName("DPMSolverMultistepScheduler"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerKind.fromName("heun"));
        assertEquals("unknown scheduler 'heun'; valid names: ddim, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddpm, pndm",
                e.getMessage());
        assertEquals(SchedulerKind.PNDM, SchedulerKind.fromClassName("PNDMScheduler"));
        assertThrows(IllegalArgumentException.class, () -> SchedulerKind.fromClassName("LMSDiscreteScheduler"));
    }
}
