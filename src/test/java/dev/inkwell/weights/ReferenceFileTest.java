package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the tiny SD 1.5 VAE written by the Python safetensors library. */
class ReferenceFileTest {

    private static final String RESOURCE = "/reference/models/sd15-tiny/vae/diffusion_pytorch_model.safetensors";

    @TempDir
    Path dir;

    private static Path vae() throws URISyntaxException {
        return Path.of(ReferenceFileTest.class.getResource(RESOURCE).toURI());
    }

    @Test
    void readsHeaderMetadataAndEntries() throws Exception {
        try (SafeTensors st = SafeTensors.open(vae())) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(156, st.entries().size());
            assertEquals(new TensorEntry("decoder.conv_in.bias", DType.F32, new long[] {64}, 0, 256),
                    st.entries().values().iterator().next());
            TensorEntry convIn = st.entry("decoder.conv_in.weight");
            assertEquals(DType.F32, convIn.dtype());
            assertArrayEquals(new long[] {64, 4, 3, 3}, convIn.shape());
            assertEquals(256, convIn.begin());
            assertEquals(9472, convIn.end());
            assertEquals(2304, convIn.elementCount());
            assertArrayEquals(new long[] {3, 32, 3, 3}, st.entry("decoder.conv_out.weight").shape());
            assertArrayEquals(new long[] {32}, st.entry("encoder.conv_in.bias").shape());
            assertTrue(st.entries().values().stream().allMatch(e -> e.dtype() == DType.F32));
            long total = st.entries().values().stream().mapToLong(TensorEntry::byteSize).sum();
            assertEquals(Files.size(vae()) - 8 - 16504, total);
        }
    }

    @Test
    void readsValuesWrittenByPython() throws Exception {
        try (SafeTensors st = SafeTensors.open(vae())) {
            float[] bias = st.floats("decoder.conv_in.bias");
            assertEquals(64, bias.length);
            assertArrayEquals(new float[] {-0.048174820840358734f, 0.01719653606414795f, 0.11163463443517685f},
                    Arrays.copyOf(bias, 3));
            float[] weight = st.floats("decoder.conv_in.weight");
            assertEquals(2304, weight.length);
            assertEquals(0.08738365024328232f, weight[0]);
            assertEquals(0.1477329134941101f, weight[1]);
        }
    }

    @Test
    void rewritingTheFileReproducesItsTensorsAndMetadata() throws Exception {
        Path copy = dir.resolve("vae.safetensors");
        try (SafeTensors st = SafeTensors.open(vae())) {
            Map<String, SafeTensorsWriter.Tensor> tensors = new HashMap<>();
            st.entries().forEach((name, e) -> tensors.put(name, new SafeTensorsWriter.Tensor(e.dtype(), e.shape(), st.bytes(name))));
            SafeTensorsWriter.write(copy, tensors, st.metadata());
        }
        try (SafeTensors original = SafeTensors.open(vae()); SafeTensors rewritten = SafeTensors.open(copy)) {
            assertEquals(original.metadata(), rewritten.metadata());
            assertEquals(original.entries().keySet(), rewritten.entries().keySet());
            for (String name : original.entries().keySet()) {
                assertEquals(original.bytes(name), rewritten.bytes(name), name);
            }
        }
    }

    @Test
    void truncatedCopyIsRejectedNamingTheFileAndTheCutTensor() throws Exception {
        byte[] bytes = Files.readAllBytes(vae());
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1000));
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(truncated));
        assertEquals(truncated + ": tensor \"encoder.mid_block.resnets.1.norm1.weight\": data_offsets [3374252, 3374508]"
                + " end beyond the data region of 3374388 bytes (truncated file?)", e.getMessage());
    }

    @Test
    void copyTruncatedInsideTheHeaderIsRejected() throws IOException, URISyntaxException {
        Path truncated = dir.resolve("half.safetensors");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(vae()), 4096));
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(truncated));
        assertEquals(truncated + ": header length 16504 runs past the end of the file (4096 bytes; truncated?)",
                e.getMessage());
    }
}
