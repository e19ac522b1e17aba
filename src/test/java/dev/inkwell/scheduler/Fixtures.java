package dev.inkwell.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test resources and comparisons shared by the scheduler tests. */
final class Fixtures {
    private Fixtures() {
    }

    static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DDIM scheduler config of the SD-1.5 test model. */
    static SchedulerConfig sd15() {
        return SchedulerConfig.parse(resource("reference/models/sd15-tiny/scheduler/scheduler_config.json"));
    }

    /** The SD-1.5 config with the keys of {@code json} overriding it. */
    static SchedulerConfig sd15With(String json) {
        return SchedulerConfig.parse(json).orElse(sd15());
    }

    /** The Euler scheduler config of the SDXL test model. */
    static SchedulerConfig sdxl() {
        return SchedulerConfig.parse(resource("reference/models/sdxl-tiny/scheduler/scheduler_config.json"));
    }

    /** {@code goldens/schedules.json}: per case, timesteps, sigmas, init_noise_sigma and full config. */
    static JsonNode schedules() {
        try {
            return new ObjectMapper().readTree(resource("reference/goldens/schedules.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + ", expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static double[] toDouble(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
