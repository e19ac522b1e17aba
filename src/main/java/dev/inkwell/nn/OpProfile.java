package dev.inkwell.nn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;

/**
 * A per-operation profile: while one is recording, the models' primitive operations (matrix
 * products, convolutions, attention, normalizations, activations) add their wall time under a
 * label with their shape. libtorch runs CPU operations synchronously, so an operation's wall time
 * is its cost. Whatever a step spends outside these (element-wise arithmetic, copies) is the
 * step's time minus their sum. When nothing records, an operation pays one volatile read.
 */
public final class OpProfile implements AutoCloseable {
    private static volatile OpProfile recording;

    /** The operations that shared a label: how many ran and their total seconds. */
    public record Entry(String label, long calls, double seconds) {}

    private final Map<String, long[]> byLabel = new LinkedHashMap<>();

    private OpProfile() {}

    /** Starts recording every thread's operations; close to stop. One profile records at a time. */
    public static synchronized OpProfile start() {
        if (recording != null) {
            throw new IllegalStateException("a profile is already recording");
        }
        recording = new OpProfile();
        return recording;
    }

    static Tensor time(Supplier<String> label, Supplier<Tensor> op) {
        OpProfile p = recording;
        if (p == null) {
            return op.get();
        }
        long start = System.nanoTime();
        Tensor result = op.get();
        long nanos = System.nanoTime() - start;
        synchronized (p.byLabel) {
            long[] sum = p.byLabel.computeIfAbsent(label.get(), k -> new long[2]);
            sum[0]++;
            sum[1] += nanos;
        }
        return result;
    }

    /** The entries so far, the most expensive first. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        synchronized (byLabel) {
            byLabel.forEach((label, sum) -> out.add(new Entry(label, sum[0], sum[1] / 1e9)));
        }
        out.sort(Comparator.comparingDouble(Entry::seconds).reversed());
        return out;
    }

    /** Forgets what was recorded so far and goes on recording. */
    public void clear() {
        synchronized (byLabel) {
            byLabel.clear();
        }
    }

    @Override
    public void close() {
        synchronized (OpProfile.class) {
            if (recording == this) {
                recording = null;
            }
        }
    }
}
