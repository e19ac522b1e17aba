package dev.inkwell.scheduler;

import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import java.util.Arrays;

/** The scheduler goldens as plain arrays, read with the project's safetensors reader. */
final class GoldenTensors {
    private final SafeTensors file;

    private GoldenTensors(SafeTensors file) {
        this.file = file;
    }

    /** Loads a test resource such as {@code reference/goldens/schedulers-ddim.safetensors}. */
    static GoldenTensors load(String resource) {
        return new GoldenTensors(SafeTensors.open(Goldens.reference(resource.substring("reference/".length()))));
    }

    int[] shape(String name) {
        return Arrays.stream(file.entry(name).shape()).mapToInt(Math::toIntExact).toArray();
    }

    float[] f32(String name) {
        return file.floats(name);
    }

    long[] i64(String name) {
        return file.longs(name);
    }

    /** Row {@code i} of a tensor whose first axis indexes steps. */
    float[] f32Row(String name, int i) {
        float[] all = f32(name);
        int row = all.length / shape(name)[0];
        return Arrays.copyOfRange(all, i * row, (i + 1) * row);
    }
}
