package dev.inkwell.weights;

import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Parameters read from one or more safetensors files (shards of one component), converted to
 * the compute precision as they are copied out of the memory map.
 */
public final class SafeTensorsSource implements WeightSource {
    private final List<SafeTensors> files = new ArrayList<>();
    private final Map<String, SafeTensors> byKey = new HashMap<>();
    private final Map<String, String> storedKey = new HashMap<>();
    private final String description;

    private SafeTensorsSource(List<Path> paths, UnaryOperator<String> rename, String description) {
        this.description = description;
        try {
            for (Path p : paths) {
                SafeTensors f = SafeTensors.open(p);
                files.add(f);
                for (String stored : f.entries().keySet()) {
                    String key = rename.apply(stored);
                    if (key == null) {
                        continue;
                    }
                    SafeTensors previous = byKey.put(key, f);
                    if (previous != null) {
                        throw new WeightsException(p + ": tensor \"" + stored + "\" also appears in " + previous.path());
                    }
                    storedKey.put(key, stored);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static SafeTensorsSource open(List<Path> paths) {
        return new SafeTensorsSource(paths, UnaryOperator.identity(), describe(paths));
    }

    /**
     * A view of a checkpoint under other key names, e.g. one component of a single-file
     * checkpoint. {@code rename} maps a stored key to the model's key, or to {@code null} to skip it.
     */
    public static SafeTensorsSource open(List<Path> paths, UnaryOperator<String> rename) {
        return new SafeTensorsSource(paths, rename, describe(paths));
    }

    private static String describe(List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : paths.get(0).getParent() + " (" + paths.size() + " shards)";
    }

    @Override
    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    @Override
    public Tensor read(String key, long[] expectedShape, Precision precision) {
        Torch.init();
        SafeTensors file = byKey.get(key);
        String stored = storedKey.get(key);
        TensorEntry entry = file.entry(stored);
        ScalarType type = switch (entry.dtype()) {
            case F32 -> ScalarType.Float;
            case F16 -> ScalarType.Half;
            case BF16 -> ScalarType.BFloat16;
            case F64 -> ScalarType.Double;
            default -> throw new WeightsException(file.path() + ": tensor \"" + stored + "\" has dtype "
                    + entry.dtype() + ", which is not a floating-point weight");
        };
        ByteBuffer bytes = file.bytes(stored);
        Tensor view = torch.from_blob(new BytePointer(bytes), entry.shape(), new TensorOptions(type));
        // The copy detaches the tensor from the memory map, which may be unmapped at any time after.
        Tensor copy = type == precision.scalarType() ? view.clone() : view.to(precision.scalarType());
        view.close();
        return copy;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        for (SafeTensors f : files) {
            f.close();
        }
    }
}
