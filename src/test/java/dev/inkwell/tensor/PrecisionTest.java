package dev.inkwell.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrecisionTest {
    @Test
    void autoIsBfloat16OnlyWhereTheCpuComputesItNatively() {
        String zen4 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512bw avx512_bf16 avx512_vnni\n";
        String sapphireRapids = "flags\t\t: avx512f amx_bf16 amx_tile\n";
        String skylake = "flags\t\t: fpu avx2 avx512f avx512bw avx512vl\n";
        assertEquals(Precision.BFLOAT16, Precision.forCpuInfo(zen4));
        assertEquals(Precision.BFLOAT16, Precision.forCpuInfo(sapphireRapids));
        assertEquals(Precision.FLOAT32, Precision.forCpuInfo(skylake));
        assertEquals(Precision.FLOAT32, Precision.forCpuInfo(""));
        assertEquals(Precision.FLOAT32, Precision.parse("fp32"));
        assertEquals(Precision.BFLOAT16, Precision.parse("BF16"));
    }
}
