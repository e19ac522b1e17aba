package dev.inkwell.weights;

/**
 * 16-bit floats to and from {@code float}. Java 17 has no {@code Float.float16ToFloat}, and SD
 * checkpoints are commonly stored as F16 or BF16.
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

    /**
     * float to IEEE 754 binary16, rounding to nearest even as every hardware conversion does: too
     * large becomes infinity, too small becomes (signed) zero or a subnormal, NaN stays NaN.
     */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        int shift;
        int base;
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal: the implicit leading bit becomes explicit and the rest shifts out.
            mantissa |= 0x80_0000;
            shift = 14 - e;
            base = 0;
        } else {
            shift = 13;
            base = e << 10;
        }
        int half = base | (mantissa >>> shift);
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }
}
