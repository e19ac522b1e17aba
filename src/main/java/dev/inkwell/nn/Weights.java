package dev.inkwell.nn;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.WeightSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A view of a model's parameters under a key prefix, so each module asks for its weights by the
 * names the checkpoint uses ({@code to_q.weight}) without knowing where it sits in the model.
 * Every tensor handed out is owned by the {@link Store}, kept by its full key so that training
 * can reach the very tensors the modules compute with, and freed when the model closes.
 */
public final class Weights {
    private final Store store;
    private final String prefix;

    private Weights(Store store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public static Weights root(WeightSource source, Precision precision) {
        return root(source, precision, false);
    }

    /**
     * @param generationOnly whether the model will only generate, never pass gradients: modules
     *     may then keep weights in layouts only their forward computation reads (always so in
     *     bfloat16, which Inkwell does not train)
     */
    public static Weights root(WeightSource source, Precision precision, boolean generationOnly) {
        return new Weights(new Store(source, precision, generationOnly || precision == Precision.BFLOAT16), "");
    }

    public Weights at(String child) {
        return new Weights(store, prefix + child + ".");
    }

    public Weights at(String child, int index) {
        return at(child + "." + index);
    }

    /** Where this view sits in the checkpoint, e.g. {@code down_blocks.1.attentions.0}; empty at the root. */
    public String path() {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    public boolean has(String name) {
        return store.source.contains(prefix + name);
    }

    /** The parameter {@code name}, checked against the shape the model's config implies. */
    public Tensor get(String name, long... shape) {
        String key = prefix + name;
        if (!store.source.contains(key)) {
            throw new WeightsMismatchException(store.source.describe() + ": missing weight '" + key
                    + "' (expected shape " + Arrays.toString(shape) + ")");
        }
        Tensor t = store.source.read(key, shape, store.precision);
        long[] actual = Torch.shape(t);
        if (!Arrays.equals(actual, shape)) {
            // Checkpoints sometimes store a 1x1 convolution where the model has a linear layer
            // (or the reverse); the values are the same.
            if (count(actual) == count(shape) && stripOnes(actual).equals(stripOnes(shape))) {
                t = t.reshape(shape);
            } else {
                throw new WeightsMismatchException(store.source.describe() + ": weight '" + key
                        + "' has shape " + Arrays.toString(actual) + " but the config needs "
                        + Arrays.toString(shape));
            }
        }
        store.owned.put(key, t);
        return t;
    }

    /**
     * Puts {@code value} in the place of the parameter {@code name} handed out before (the same
     * values in another form) and frees the one it replaces.
     */
    public Tensor replace(String name, Tensor value) {
        Tensor old = store.owned.put(prefix + name, value);
        if (old == null) {
            throw new IllegalStateException("no parameter '" + prefix + name + "' to replace");
        }
        old.close();
        return value;
    }

    public Precision precision() {
        return store.precision;
    }

    /** See {@link #root(WeightSource, Precision, boolean)}. */
    public boolean generationOnly() {
        return store.generationOnly;
    }

    /**
     * Every parameter handed out so far, by full checkpoint key in load order: the tensors the
     * modules hold, so setting {@code requires_grad} or updating them in place acts on the model.
     */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(store.owned);
    }

    /** Frees every tensor handed out and closes the source. */
    public void close() {
        for (Tensor t : store.owned.values()) {
            t.close();
        }
        store.owned.clear();
        store.source.close();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static List<Long> stripOnes(long[] shape) {
        List<Long> out = new ArrayList<>();
        for (long d : shape) {
            if (d != 1) {
                out.add(d);
            }
        }
        return out;
    }

    private static final class Store {
        final WeightSource source;
        final Precision precision;
        final boolean generationOnly;
        final Map<String, Tensor> owned = new LinkedHashMap<>();

        Store(WeightSource source, Precision precision, boolean generationOnly) {
            this.source = source;
            this.precision = precision;
            this.generationOnly = generationOnly;
        }
    }
}
