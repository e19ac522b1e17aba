package dev.inkwell.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timesteps, sigmas and init_noise_sigma of every golden case (DDIM, Euler, Euler ancestral):
 * all bit-exact, since the float32 training tables are rebuilt exactly as torch does.
 */
class GoldenScheduleTest {
    private static final JsonNode SCHEDULES = Fixtures.schedules();

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        SCHEDULES.fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesGoldenFromCaseConfig(String name) {
        JsonNode c = SCHEDULES.get(name);
        check(name, SchedulerConfig.parse(c.get("config").toString()));
    }

    /** The goldens' configs are the SD-1.5 DDIM file switched to each class: from_config must agree. */
    @ParameterizedTest
    @MethodSource("cases")
    void matchesGoldenFromSwitchedSd15Config(String name) {
        String spacing = SCHEDULES.get(name).get("config").get("timestep_spacing").asText();
        SchedulerConfig override = SchedulerConfig.parse("{\"timestep_spacing\": \"" + spacing + "\"}");
        check(name, override.orElse(Fixtures.sd15()));
    }

    private static void check(String name, SchedulerConfig config) {
        String[] parts = name.split("/");
        SchedulerKind kind = SchedulerKind.fromName(parts[0]);
        int steps = Integer.parseInt(parts[1].substring(parts[1].indexOf("_n") + 2));
        GoldenTensors golden = GoldenTensors.load("reference/goldens/schedulers-" + parts[0] + ".safetensors");
        Scheduler.Run run = kind.create(config).start(steps);
        JsonNode c = SCHEDULES.get(name);

        if (run.integerTimesteps()) {
            assertArrayEquals(Fixtures.toDouble(golden.i64(parts[1] + "_timesteps")), run.timesteps(), name);
        } else {
            assertArrayEquals(Fixtures.toDouble(golden.f32(parts[1] + "_timesteps")), run.timesteps(), name);
        }
        if (c.get("sigmas").isNull()) {
            assertEquals(0, run.sigmas().length, name);
        } else {
            assertArrayEquals(Fixtures.toDouble(golden.f32(parts[1] + "_sigmas")), run.sigmas(), 0.0, name);
        }
        double initNoiseSigma = c.get("init_noise_sigma").doubleValue();
        assertEquals(initNoiseSigma, run.initNoiseSigma(), 0.0, name);
    }

    /** The euler goldens' configs carry the DDIM-only keys of the SD-1.5 file: they came from it. */
    @Test
    void eulerGoldensDeriveFromSd15DdimConfig() {
        JsonNode euler = SCHEDULES.get("euler/leading_n10").get("config");
        assertTrue(euler.has("set_alpha_to_one") && euler.has("clip_sample"));
    }
}
