package dev.inkwell.tensor;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The dtype weights are converted to when loaded, whatever dtype the file stores. */
public enum Precision {
    FLOAT32(ScalarType.Float),
    FLOAT16(ScalarType.Half),
    BFLOAT16(ScalarType.BFloat16);

    private final ScalarType scalarType;

    Precision(ScalarType scalarType) {
        this.scalarType = scalarType;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    /** Accepts the names users type: float32/fp32, float16/fp16, bfloat16/bf16. */
    public static Precision parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "float32": case "fp32": return FLOAT32;
            case "float16": case "fp16": return FLOAT16;
            case "bfloat16": case "bf16": return BFLOAT16;
            default: throw new IllegalArgumentException(
                    "unknown precision '" + name + "' (use float32, float16 or bfloat16)");
        }
    }
}
