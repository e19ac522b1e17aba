package dev.inkwell.adapter;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.weights.CheckpointFiles;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import dev.inkwell.weights.WeightsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Adapter folders in the formats diffusers reads and writes: the key/value weights as {@code
 * pytorch_custom_diffusion_weights.safetensors} ({@code unet.save_attn_procs}), each learned
 * embedding as a textual-inversion file ({@code {token: [hidden]}}, A1111's {@code emb_params}
 * named by the file, or an SDXL embedding's {@code clip_l} and {@code clip_g} rows, whose token is
 * the file's name in angle brackets), recognised by content whatever its name (ClassDiffusion writes safetensors
 * bytes as {@code <new1>.bin}). Pickles are refused, never opened.
 */
public final class AdapterFiles {
    /** The key/value weights' file name, as {@code save_attn_procs(safe_serialization=True)} writes it. */
    public static final String WEIGHTS = "pytorch_custom_diffusion_weights.safetensors";
    /** The same as a pickle, as {@code --no_safe_serialization} writes it. */
    public static final String PICKLED_WEIGHTS = "pytorch_custom_diffusion_weights.bin";
    /** The training checkpoint a personalization keeps beside its adapter, for --resume; not part of the adapter. */
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** Inkwell's description of the adapter: token, class, base model, settings. */
    public static final String INFO = "adapter.json";
    private static final String PROCESSOR = ".processor.to_";
    private static final String SUFFIX = "_custom_diffusion.weight";
    /** An SDXL embedding's rows for the first (CLIP ViT-L) and the second (OpenCLIP bigG) text encoder. */
    private static final String SDXL_FIRST = "clip_l";
    private static final String SDXL_SECOND = "clip_g";

    private AdapterFiles() {}

    /** Reads the adapter in {@code folder}. */
    public static Adapter read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("adapter " + folder + " is not a folder");
        }
        Map<String, Adapter.KeyValue> keyValues = new LinkedHashMap<>();
        Map<String, float[]> tokens = new LinkedHashMap<>();
        Map<String, float[]> secondTokens = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.equals(INFO) || name.equals(CHECKPOINT) || name.startsWith(".") || name.endsWith(".json") || name.endsWith(".txt")
                    || name.endsWith(".png")) {
                continue;
            }
            if (!CheckpointFiles.startsLikeSafetensors(file)) {
                try {
                    CheckpointFiles.requireSafetensorsContent(file);
                } catch (WeightsException pickle) {
                    throw new IllegalArgumentException(file + " is a PyTorch pickle, which Inkwell never opens; convert it with: "
                            + "python -c \"import torch, safetensors.torch as s; d = torch.load('" + name + "', weights_only=True); "
                            + "s.save_file({k: v.contiguous() for k, v in d.items() if torch.is_tensor(v)}, '"
                            + (name.equals(PICKLED_WEIGHTS) ? WEIGHTS : name.replaceFirst("\\.[^.]*$", "") + ".safetensors") + "')\"");
                }
                continue;
            }
            try (SafeTensors st = SafeTensors.openByContent(file)) {
                if (name.equals(WEIGHTS) || st.entries().keySet().stream().anyMatch(k -> k.endsWith(SUFFIX))) {
                    readKeyValues(st, keyValues);
                } else {
                    readEmbeddings(st, name, tokens, secondTokens);
                }
            }
        }
        if (tokens.isEmpty() && keyValues.isEmpty()) {
            throw new IllegalArgumentException("adapter " + folder + " holds no " + WEIGHTS + " and no learned embedding");
        }
        return new Adapter(tokens, secondTokens, keyValues);
    }

    private static void readKeyValues(SafeTensors st, Map<String, Adapter.KeyValue> out) {
        Map<String, float[]> keys = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (TensorEntry e : st.entries().values()) {
            String name = e.name();
            int at = name.indexOf(PROCESSOR);
            if (at < 0 || !name.endsWith(SUFFIX)) {
                throw new IllegalArgumentException(st.path() + ": '" + name + "' is not a Custom Diffusion key/value weight"
                        + " (<module>.processor.to_k_custom_diffusion.weight)");
            }
            String module = name.substring(0, at);
            String which = name.substring(at + PROCESSOR.length(), name.length() - SUFFIX.length());
            if (!which.equals("k") && !which.equals("v")) {
                throw new IllegalArgumentException(st.path() + ": '" + name + "' trains to_" + which
                        + "; Inkwell reads adapters that train keys and values only (freeze_model crossattn_kv)");
            }
            (which.equals("k") ? keys : values).put(module, st.floats(name));
            shapes.put(module, e.shape());
        }
        for (String module : shapes.keySet()) {
            if (!keys.containsKey(module) || !values.containsKey(module)) {
                throw new IllegalArgumentException(st.path() + ": " + module + " has a key or a value weight but not both");
            }
            out.put(module, new Adapter.KeyValue(keys.get(module), values.get(module), shapes.get(module)));
        }
    }

    private static void readEmbeddings(SafeTensors st, String fileName, Map<String, float[]> out, Map<String, float[]> second) {
        String stem = fileName.replaceFirst("\\.[^.]*$", "");
        if (st.entries().keySet().equals(java.util.Set.of(SDXL_FIRST, SDXL_SECOND))) {
            String token = Adapters.TOKEN.matcher(stem).matches() ? stem : "<" + stem + ">";
            if (out.put(token, oneRow(st, st.entries().get(SDXL_FIRST))) != null) {
                throw new IllegalArgumentException(st.path() + ": the token " + token + " is learned twice");
            }
            second.put(token, oneRow(st, st.entries().get(SDXL_SECOND)));
            return;
        }
        for (TensorEntry e : st.entries().values()) {
            String token = e.name().equals("emb_params") ? stem : e.name();
            if (out.put(token, oneRow(st, e)) != null) {
                throw new IllegalArgumentException(st.path() + ": the token " + token + " is learned twice");
            }
        }
    }

    private static float[] oneRow(SafeTensors st, TensorEntry e) {
        long[] shape = e.shape();
        boolean one = shape.length == 1 || (shape.length == 2 && shape[0] == 1);
        if (!one) {
            throw new IllegalArgumentException(st.path() + ": embedding '" + e.name() + "' has shape "
                    + java.util.Arrays.toString(shape) + "; Inkwell reads one vector per token");
        }
        return st.floats(e.name());
    }

    /**
     * Writes {@code adapter} into {@code folder} (created if needed), each file atomically: the
     * key/value weights as {@link #WEIGHTS}, each token's embedding as {@code <name>.safetensors}
     * (the token without angle brackets; an SDXL token's two rows as {@code clip_l} and {@code
     * clip_g}), and {@code info} as {@link #INFO}.
     */
    public static void write(Adapter adapter, Path folder, String info, boolean overwrite) throws IOException {
        Files.createDirectories(folder);
        Map<String, String> metadata = Map.of("format", "pt");
        if (!adapter.keyValues().isEmpty()) {
            Map<String, SafeTensorsWriter.Tensor> kv = new LinkedHashMap<>();
            adapter.keyValues().forEach((module, w) -> {
                kv.put(module + PROCESSOR + "k" + SUFFIX, SafeTensorsWriter.Tensor.ofFloats(w.shape(), w.key()));
                kv.put(module + PROCESSOR + "v" + SUFFIX, SafeTensorsWriter.Tensor.ofFloats(w.shape(), w.value()));
            });
            AtomicFiles.write(folder.resolve(WEIGHTS), overwrite, f -> SafeTensorsWriter.write(f, kv, metadata));
        }
        for (Map.Entry<String, float[]> t : adapter.tokens().entrySet()) {
            float[] second = adapter.secondTokens().get(t.getKey());
            Map<String, SafeTensorsWriter.Tensor> row = second == null
                    ? Map.of(t.getKey(), SafeTensorsWriter.Tensor.ofFloats(new long[] {t.getValue().length}, t.getValue()))
                    : Map.of(SDXL_FIRST, SafeTensorsWriter.Tensor.ofFloats(new long[] {1, t.getValue().length}, t.getValue()),
                            SDXL_SECOND, SafeTensorsWriter.Tensor.ofFloats(new long[] {1, second.length}, second));
            AtomicFiles.write(folder.resolve(fileName(t.getKey()) + ".safetensors"), overwrite,
                    f -> SafeTensorsWriter.write(f, row, metadata));
        }
        if (info != null) {
            AtomicFiles.write(folder.resolve(INFO), overwrite, f -> Files.writeString(f, info));
        }
    }

    /** A token as a file name: {@code <new1>} becomes {@code new1}. */
    public static String fileName(String token) {
        String name = token.replaceAll("[<>/\\\\:*?\"|\\s]", "");
        return name.isEmpty() ? "token" : name;
    }
}
