package dev.inkwell.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The keys of a diffusers {@code scheduler_config.json}; a {@code null} component means "not given".
 *
 * <p>Keeping absence explicit is what lets {@link SchedulerKind#create} reproduce diffusers'
 * {@code NewScheduler.from_config(old.config)}: keys the file gives are carried over to whichever
 * scheduler is chosen, keys it lacks take the chosen class's defaults (see {@link #orElse}).
 * Keys listed in the file's {@code _use_default_values} count as absent, as in diffusers.
 *
 * @param className the file's {@code _class_name}: the model's own scheduler
 * @param trainedBetas explicit betas, replacing the beta schedule when given
 * @param finalSigmasType {@code zero} or {@code sigma_min} (Euler, DPM-Solver)
 * @param interpolationType {@code linear} is the only one supported (Euler)
 * @param timestepType {@code discrete} or {@code continuous} (Euler, only matters for v-prediction)
 * @param varianceType {@code fixed_small} is the only one supported (DDPM)
 * @param skipPrkSteps PNDM: start with linear multistep steps (PLMS, as SD's configs ask) instead of Runge-Kutta ones
 */
public record SchedulerConfig(
        String className,
        Integer numTrainTimesteps,
        Double betaStart,
        Double betaEnd,
        BetaSchedule betaSchedule,
        List<Double> trainedBetas,
        Integer stepsOffset,
        TimestepSpacing timestepSpacing,
        PredictionType predictionType,
        Boolean setAlphaToOne,
        Boolean clipSample,
        Double clipSampleRange,
        Boolean thresholding,
        Boolean rescaleBetasZeroSnr,
        Boolean useKarrasSigmas,
        Double sigmaMin,
        Double sigmaMax,
        String finalSigmasType,
        String interpolationType,
        String timestepType,
        String varianceType,
        Boolean skipPrkSteps) {

    /** A config with nothing given. */
    public static final SchedulerConfig EMPTY = new SchedulerConfig(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper();

    public SchedulerConfig {
        trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
    }

    /** diffusers' {@code beta_schedule}. */
    public enum BetaSchedule {
        LINEAR("linear"), SCALED_LINEAR("scaled_linear"), SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

        private final String jsonName;

        BetaSchedule(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** diffusers' {@code timestep_spacing} (Table 2 of arXiv:2305.08891). */
    public enum TimestepSpacing {
        LEADING("leading"), LINSPACE("linspace"), TRAILING("trailing");

        private final String jsonName;

        TimestepSpacing(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** diffusers' {@code prediction_type}: what the UNet predicts. */
    public enum PredictionType {
        EPSILON("epsilon"), V_PREDICTION("v_prediction"), SAMPLE("sample");

        private final String jsonName;

        PredictionType(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** Reads a {@code scheduler_config.json} file. */
    public static SchedulerConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scheduler config " + file, e);
        }
    }

    /** Parses the JSON text of a scheduler config; unknown keys are ignored, {@code null} values count as absent. */
    public static SchedulerConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("scheduler config is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scheduler config must be a JSON object");
        }
        Fields f = new Fields(root);
        return new SchedulerConfig(
                f.text("_class_name"),
                f.integer("num_train_timesteps"),
                f.number("beta_start"),
                f.number("beta_end"),
                f.choice("beta_schedule", BetaSchedule.values(), BetaSchedule::jsonName),
                f.numbers("trained_betas"),
                f.integer("steps_offset"),
                f.choice("timestep_spacing", TimestepSpacing.values(), TimestepSpacing::jsonName),
                f.choice("prediction_type", PredictionType.values(), PredictionType::jsonName),
                f.bool("set_alpha_to_one"),
                f.bool("clip_sample"),
                f.number("clip_sample_range"),
                f.bool("thresholding"),
                f.bool("rescale_betas_zero_snr"),
                f.bool("use_karras_sigmas"),
                f.number("sigma_min"),
                f.number("sigma_max"),
                f.text("final_sigmas_type"),
                f.text("interpolation_type"),
                f.text("timestep_type"),
                f.text("variance_type"),
                f.bool("skip_prk_steps"));
    }

    /** The scheduler the model ships with, from {@code _class_name}. */
    public SchedulerKind defaultKind() {
        if (className == null) {
            throw new IllegalArgumentException("scheduler config has no _class_name; choose a scheduler explicitly");
        }
        SchedulerKind kind = SchedulerKind.fromClassName(className);
        return kind == SchedulerKind.DPMPP_2M && Boolean.TRUE.equals(useKarrasSigmas)
                ? SchedulerKind.DPMPP_2M_KARRAS
                : kind;
    }

    /** This config with another {@code prediction_type}, which a checkpoint's weights do not reveal. */
    public SchedulerConfig withPredictionType(PredictionType type) {
        return new SchedulerConfig(className, numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                stepsOffset, timestepSpacing, type, setAlphaToOne, clipSample, clipSampleRange, thresholding,
                rescaleBetasZeroSnr, useKarrasSigmas, sigmaMin, sigmaMax, finalSigmasType, interpolationType,
                timestepType, varianceType, skipPrkSteps);
    }

    /** Component-wise: this config's value where given, else {@code fallback}'s. */
    public SchedulerConfig orElse(SchedulerConfig fallback) {
        return new SchedulerConfig(
                or(className, fallback.className),
                or(numTrainTimesteps, fallback.numTrainTimesteps),
                or(betaStart, fallback.betaStart),
                or(betaEnd, fallback.betaEnd),
                or(betaSchedule, fallback.betaSchedule),
                or(trainedBetas, fallback.trainedBetas),
                or(stepsOffset, fallback.stepsOffset),
                or(timestepSpacing, fallback.timestepSpacing),
                or(predictionType, fallback.predictionType),
                or(setAlphaToOne, fallback.setAlphaToOne),
                or(clipSample, fallback.clipSample),
                or(clipSampleRange, fallback.clipSampleRange),
                or(thresholding, fallback.thresholding),
                or(rescaleBetasZeroSnr, fallback.rescaleBetasZeroSnr),
                or(useKarrasSigmas, fallback.useKarrasSigmas),
                or(sigmaMin, fallback.sigmaMin),
                or(sigmaMax, fallback.sigmaMax),
                or(finalSigmasType, fallback.finalSigmasType),
                or(interpolationType, fallback.interpolationType),
                or(timestepType, fallback.timestepType),
                or(varianceType, fallback.varianceType),
                or(skipPrkSteps, fallback.skipPrkSteps));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Typed access to the JSON object's keys, honouring {@code _use_default_values}. */
    private static final class Fields {
        private final JsonNode root;
        private final Set<String> defaulted = new HashSet<>();

        Fields(JsonNode root) {
            this.root = root;
            root.path("_use_default_values").forEach(n -> defaulted.add(n.asText()));
        }

        private JsonNode get(String key) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() || defaulted.contains(key) ? null : n;
        }

        String text(String key) {
            JsonNode n = get(key);
            if (n != null && !n.isTextual()) {
                throw bad(key, n, "a string");
            }
            return n == null ? null : n.asText();
        }

        Integer integer(String key) {
            JsonNode n = get(key);
            if (n != null && !n.canConvertToExactIntegral()) {
                throw bad(key, n, "an integer");
            }
            return n == null ? null : n.intValue();
        }

        Double number(String key) {
            JsonNode n = get(key);
            if (n != null && !n.isNumber()) {
                throw bad(key, n, "a number");
            }
            return n == null ? null : n.doubleValue();
        }

        Boolean bool(String key) {
            JsonNode n = get(key);
            if (n != null && !n.isBoolean()) {
                throw bad(key, n, "true or false");
            }
            return n == null ? null : n.booleanValue();
        }

        List<Double> numbers(String key) {
            JsonNode n = get(key);
            if (n == null) {
                return null;
            }
            if (!n.isArray()) {
                throw bad(key, n, "an array of numbers");
            }
            Double[] values = new Double[n.size()];
            for (int i = 0; i < values.length; i++) {
                if (!n.get(i).isNumber()) {
                    throw bad(key, n, "an array of numbers");
                }
                values[i] = n.get(i).doubleValue();
            }
            return Arrays.asList(values);
        }

        <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> name) {
            String s = text(key);
            if (s == null) {
                return null;
            }
            return Stream.of(values).filter(v -> name.apply(v).equals(s)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unsupported " + key + " '" + s + "'; supported: "
                            + Stream.of(values).map(name).collect(Collectors.joining(", "))));
        }

        private static IllegalArgumentException bad(String key, JsonNode n, String expected) {
            return new IllegalArgumentException("scheduler config key " + key + " must be " + expected + ", got " + n);
        }
    }
}
