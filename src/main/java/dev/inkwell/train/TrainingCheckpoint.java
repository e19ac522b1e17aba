package dev.inkwell.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Everything a run needs to continue bit for bit, in one safetensors file written atomically
 * (so parameters, moments and progress can never come from different steps): the parameters
 * under {@code model/}, AdamW's moments under {@code adamw/exp_avg/} and {@code adamw/exp_avg_sq/},
 * the EMA under {@code ema/}, and the progress and optimizer step count as JSON metadata. Training
 * randomness is seeded from (seed, step) each step, so no generator state needs saving.
 */
public final class TrainingCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROGRESS = "progress";
    private static final String ADAMW_STEPS = "adamw_steps";

    /** How far a run got: the next step to take, and the seed its randomness derives from. */
    public record Progress(long step, long seed) {}

    private TrainingCheckpoint() {}

    /** Writes the state to {@code file}, replacing it atomically. {@code ema} may be null. */
    public static void save(Path file, Map<String, Tensor> params, AdamW optimizer, Ema ema, Progress progress) {
        Map<String, SafeTensorsWriter.Tensor> out = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            sections(params, optimizer, ema).forEach((prefix, tensors) ->
                    tensors.forEach((key, t) -> out.put(prefix + key, ParameterFiles.entry(prefix + key, t))));
        }
        String json;
        try {
            json = JSON.writeValueAsString(progress);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SafeTensorsWriter.write(file, out, Map.of(PROGRESS, json, ADAMW_STEPS, Long.toString(optimizer.steps())));
    }

    /**
     * Restores a state saved by {@link #save} into the given live tensors, in place, and returns
     * the progress. Every tensor must be present with the same shape.
     */
    public static Progress load(Path file, Map<String, Tensor> params, AdamW optimizer, Ema ema) {
        try (SafeTensors st = SafeTensors.open(file);
                PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            sections(params, optimizer, ema).forEach((prefix, tensors) -> tensors.forEach((key, t) -> {
                String name = prefix + key;
                if (!st.entries().containsKey(name)) {
                    throw new WeightsException(file + ": missing tensor '" + name + "'");
                }
                long[] shape = Torch.shape(t);
                if (!Arrays.equals(st.entry(name).shape(), shape)) {
                    throw new WeightsException(file + ": tensor '" + name + "' has shape "
                            + Arrays.toString(st.entry(name).shape()) + ", expected " + Arrays.toString(shape));
                }
                t.copy_(Torch.floats(st.floats(name), shape));
            }));
            optimizer.restoreSteps(Long.parseLong(metadata(st, ADAMW_STEPS)));
            return JSON.readValue(metadata(st, PROGRESS), Progress.class);
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new WeightsException(file + ": bad training metadata: " + e, e);
        }
    }

    private static String metadata(SafeTensors st, String key) {
        String value = st.metadata().get(key);
        if (value == null) {
            throw new WeightsException(st.path() + ": not a training checkpoint (no '" + key + "' metadata)");
        }
        return value;
    }

    private static Map<String, Map<String, Tensor>> sections(Map<String, Tensor> params, AdamW optimizer, Ema ema) {
        Map<String, Map<String, Tensor>> sections = new LinkedHashMap<>();
        sections.put("model/", params);
        sections.put("adamw/exp_avg/", optimizer.expAvg());
        sections.put("adamw/exp_avg_sq/", optimizer.expAvgSq());
        if (ema != null) {
            sections.put("ema/", ema.shadow());
        }
        return sections;
    }
}
