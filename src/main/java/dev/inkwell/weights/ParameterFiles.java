package dev.inkwell.weights;

import dev.inkwell.tensor.Torch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Live float32 model parameters to safetensors: what trainers save and checkpoint. */
public final class ParameterFiles {
    private ParameterFiles() {}

    /** Writes {@code parameters} (float32, by checkpoint key) to {@code file} as F32, atomically. */
    public static void write(Path file, Map<String, Tensor> parameters) {
        Map<String, SafeTensorsWriter.Tensor> out = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            parameters.forEach((key, t) -> out.put(key, entry(key, t)));
        }
        SafeTensorsWriter.write(file, out);
    }

    /** A float32 tensor's values for {@link SafeTensorsWriter}; parameters and training state are never stored lower. */
    public static SafeTensorsWriter.Tensor entry(String name, Tensor t) {
        if (t.scalar_type().value != ScalarType.Float.value) {
            throw new IllegalArgumentException("'" + name + "' is " + t.scalar_type() + "; expected float32");
        }
        return SafeTensorsWriter.Tensor.ofFloats(Torch.shape(t), Torch.toFloats(t.detach()));
    }
}
