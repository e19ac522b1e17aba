package dev.inkwell.weights;

/**
 * Widening of 16-bit floats to {@code float}. Java 17 has no {@code Float.float16ToFloat}, and
 * SD checkpoints are commonly stored as F16 or BF16.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** IEEE 754 binary16 to float; exact for every input, including subnormals, infinities and NaN. */
    public static float f16ToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            // Infinity when the mantissa is zero, otherwise NaN with its payload kept.
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 to float: bfloat16 is the upper half of a float's bits. */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
