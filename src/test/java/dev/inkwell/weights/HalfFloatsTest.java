package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void f16KnownBitPatterns() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xC000));
        assertEquals(65504.0f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0xFC01)));
    }

    @Test
    void f16SubnormalsAndZeros() {
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(5.9604645e-8f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(-0x1p-24f, HalfFloats.f16ToFloat((short) 0x8001));
        assertEquals(1023 * 0x1p-24f, HalfFloats.f16ToFloat((short) 0x03FF));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x0000)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
    }

    /** Every finite half is exactly representable; check all 63488 against a slow reference formula. */
    @Test
    void f16MatchesDefinitionForAllFiniteValues() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            int exponent = (bits >> 10) & 0x1F;
            if (exponent == 0x1F) {
                continue;
            }
            int mantissa = bits & 0x3FF;
            double magnitude = exponent == 0
                    ? mantissa * Math.pow(2, -24)
                    : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals((float) expected, HalfFloats.f16ToFloat((short) bits), "bits 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void bf16KnownBitPatterns() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, HalfFloats.bf16ToFloat((short) 0xC000));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0x7F80));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) 0x7FC0)));
        assertEquals(3.140625f, HalfFloats.bf16ToFloat((short) 0x4049));
    }
}
