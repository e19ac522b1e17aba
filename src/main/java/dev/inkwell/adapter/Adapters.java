package dev.inkwell.adapter;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.WeightSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Several adapters applied to one model: their tokens together, the key/value weights of at most one. */
public final class Adapters {
    /** How a learned token is written: a word in angle brackets, e.g. {@code <new1>}. */
    public static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("<[^<>|\\s]+>");

    private Adapters() {}

    /** The first learned-token-like word ({@link #TOKEN}) of {@code texts} not among {@code known}, or {@code null}. */
    public static String unknownToken(List<String> texts, java.util.Set<String> known) {
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            java.util.regex.Matcher m = TOKEN.matcher(text);
            while (m.find()) {
                if (!known.contains(m.group())) {
                    return m.group();
                }
            }
        }
        return null;
    }

    /** Every adapter's tokens with their rows, in order; a token learned by two adapters is refused. */
    public static Map<String, float[]> tokens(List<Adapter> adapters) {
        Map<String, float[]> tokens = new LinkedHashMap<>();
        for (Adapter a : adapters) {
            a.tokens().forEach((token, row) -> {
                if (tokens.put(token, row) != null) {
                    throw new IllegalArgumentException("two adapters both learn the token " + token);
                }
            });
        }
        return tokens;
    }

    /** Every adapter's rows for SDXL's second text encoder ({@link Adapter#secondTokens()}), in order. */
    public static Map<String, float[]> secondTokens(List<Adapter> adapters) {
        Map<String, float[]> tokens = new LinkedHashMap<>();
        adapters.forEach(a -> tokens.putAll(a.secondTokens()));
        return tokens;
    }

    /**
     * The key/value weights to load: Custom Diffusion trains one set for all the concepts of a run,
     * so two adapters with their own sets cannot both apply.
     */
    public static Map<String, Adapter.KeyValue> keyValues(List<Adapter> adapters) {
        List<Adapter> with = adapters.stream().filter(a -> !a.keyValues().isEmpty()).toList();
        if (with.size() > 1) {
            throw new IllegalArgumentException(with.size() + " adapters bring their own cross-attention weights, and only one"
                    + " set can apply; train the concepts together (personalize --concepts) to use them at once");
        }
        return with.isEmpty() ? Map.of() : with.get(0).keyValues();
    }

    /**
     * {@code base} with the {@code to_k}/{@code to_v} weights of {@code keyValues} in place of its
     * own; refuses weights for modules the model does not have.
     */
    public static WeightSource overlay(WeightSource base, Map<String, Adapter.KeyValue> keyValues) {
        if (keyValues.isEmpty()) {
            return base;
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        keyValues.forEach((module, kv) -> {
            for (String which : List.of("to_k", "to_v")) {
                String key = module + "." + which + ".weight";
                if (!base.contains(key)) {
                    missing.add(key);
                }
                values.put(key, which.equals("to_k") ? kv.key() : kv.value());
                shapes.put(key, kv.shape());
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the adapter has weights for " + missing.get(0)
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "")
                    + ", which this model lacks; it was trained on another base model");
        }
        return new WeightSource() {
            @Override
            public boolean contains(String key) {
                return values.containsKey(key) || base.contains(key);
            }

            @Override
            public Tensor read(String key, long[] expectedShape, Precision precision) {
                float[] v = values.get(key);
                return v == null ? base.read(key, expectedShape, precision)
                        : Torch.floats(v, shapes.get(key)).to(precision.scalarType());
            }

            @Override
            public String describe() {
                return base.describe() + " with adapter weights";
            }

            @Override
            public void close() {
                base.close();
            }
        };
    }
}
