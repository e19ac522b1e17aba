package dev.inkwell.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The dtype weights are converted to when loaded, whatever dtype the file stores. */
public enum Precision {
    FLOAT32(ScalarType.Float),
    FLOAT16(ScalarType.Half),
    BFLOAT16(ScalarType.BFloat16);

    /** CPU flags (as Linux's /proc/cpuinfo spells them) of native bfloat16 arithmetic. */
    private static final Set<String> NATIVE_BFLOAT16 = Set.of("avx512_bf16", "amx_bf16");

    private final ScalarType scalarType;

    Precision(ScalarType scalarType) {
        this.scalarType = scalarType;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    /** The name users type and files record: float32, float16, bfloat16. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Accepts the names users type: float32/fp32, float16/fp16, bfloat16/bf16, and auto, which is
     * {@link #auto()}.
     */
    public static Precision parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "float32": case "fp32": return FLOAT32;
            case "float16": case "fp16": return FLOAT16;
            case "bfloat16": case "bf16": return BFLOAT16;
            case "auto": return auto();
            default: throw new IllegalArgumentException(
                    "unknown precision '" + name + "' (use auto, float32, float16 or bfloat16)");
        }
    }

    /**
     * bfloat16 where the CPU computes it natively (AVX512-BF16 or AMX), where it is much faster
     * than float32; float32 elsewhere, where bfloat16 would only be emulated, and off Linux.
     */
    public static Precision auto() {
        try {
            return forCpuInfo(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | SecurityException e) {
            return FLOAT32;
        }
    }

    /** {@link #auto()} for the text of a /proc/cpuinfo. */
    static Precision forCpuInfo(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                for (String flag : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    if (NATIVE_BFLOAT16.contains(flag)) {
                        return BFLOAT16;
                    }
                }
                return FLOAT32;
            }
        }
        return FLOAT32;
    }
}
