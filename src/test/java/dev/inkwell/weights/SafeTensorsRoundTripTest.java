package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafeTensorsRoundTripTest {

    private static final long[] SHAPE = {2, 3};

    @TempDir
    Path dir;

    private static ByteBuffer shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.flip();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTripsItsBytes(DType dtype) {
        byte[] raw = new byte[6 * dtype.byteSize()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (31 * i + 7);
        }
        Path file = dir.resolve("t.safetensors");
        SafeTensorsWriter.write(file, Map.of("t", new SafeTensorsWriter.Tensor(dtype, SHAPE, ByteBuffer.wrap(raw))));

        try (SafeTensors st = SafeTensors.open(file)) {
            TensorEntry entry = st.entry("t");
            assertEquals(new TensorEntry("t", dtype, SHAPE, 0, raw.length), entry);
            assertEquals(6, entry.elementCount());
            ByteBuffer bytes = st.bytes("t");
            assertTrue(bytes.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, bytes.order());
            assertArrayEquals(raw, toArray(bytes));
        }
    }

    @Test
    void f32RoundTripsThroughFloats() {
        Path file = dir.resolve("f32.safetensors");
        float[] values = {0f, -1.5f, 3.25f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
        SafeTensorsWriter.write(file, Map.of("w", SafeTensorsWriter.Tensor.ofFloats(SHAPE, values)));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertArrayEquals(values, st.floats("w"));
            assertEquals(-1.5f, st.bytes("w").getFloat(4));
        }
    }

    @Test
    void f16ConvertsKnownBitPatterns() {
        Path file = dir.resolve("f16.safetensors");
        SafeTensorsWriter.write(file, Map.of("h",
                new SafeTensorsWriter.Tensor(DType.F16, new long[] {5}, shorts(0x3C00, 0xC000, 0x7C00, 0x0001, 0x8000))));
        try (SafeTensors st = SafeTensors.open(file)) {
            float[] values = st.floats("h");
            assertEquals(1.0f, values[0]);
            assertEquals(-2.0f, values[1]);
            assertEquals(Float.POSITIVE_INFINITY, values[2]);
            assertEquals(5.96e-8f, values[3], 1e-10f);
            assertEquals(0x1p-24f, values[3]);
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(values[4]));
        }
    }

    @Test
    void bf16ConvertsKnownBitPatterns() {
        Path file = dir.resolve("bf16.safetensors");
        SafeTensorsWriter.write(file, Map.of("b",
                new SafeTensorsWriter.Tensor(DType.BF16, new long[] {1, 3}, shorts(0x3F80, 0xC000, 0xFF80))));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertArrayEquals(new float[] {1.0f, -2.0f, Float.NEGATIVE_INFINITY}, st.floats("b"));
        }
    }

    @Test
    void i64RoundTripsThroughLongs() {
        Path file = dir.resolve("i64.safetensors");
        long[] values = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 42, 1L << 40};
        SafeTensorsWriter.write(file, Map.of("ids", SafeTensorsWriter.Tensor.ofLongs(SHAPE, values)));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertArrayEquals(values, st.longs("ids"));
        }
    }

    @Test
    void scalarAndEmptyTensorsRoundTrip() {
        Path file = dir.resolve("edge.safetensors");
        Map<String, SafeTensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scalar", SafeTensorsWriter.Tensor.ofFloats(new long[0], 7.5f));
        tensors.put("empty", SafeTensorsWriter.Tensor.ofFloats(new long[] {0, 4}));
        SafeTensorsWriter.write(file, tensors);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(1, st.entry("scalar").elementCount());
            assertArrayEquals(new float[] {7.5f}, st.floats("scalar"));
            assertEquals(0, st.entry("empty").elementCount());
            assertArrayEquals(new long[] {0, 4}, st.entry("empty").shape());
            assertEquals(0, st.bytes("empty").remaining());
            assertArrayEquals(new float[0], st.floats("empty"));
        }
    }

    @Test
    void metadataRoundTrips() {
        Path file = dir.resolve("meta.safetensors");
        Map<String, String> metadata = Map.of("format", "pt", "note", "ünïcødé \"quoted\"\n");
        SafeTensorsWriter.write(file, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)), metadata);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(metadata, st.metadata());
            assertEquals(file, st.path());
        }
    }

    @Test
    void noMetadataMeansEmptyMapAndNoMetadataKey() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        SafeTensorsWriter.write(file, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        assertFalse(headerText(file).contains("__metadata__"));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(Map.of(), st.metadata());
        }
    }

    @Test
    void headerIsPaddedWithSpacesToAMultipleOf8() throws IOException {
        for (String name : List.of("a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh")) {
            Path file = dir.resolve(name + ".safetensors");
            SafeTensorsWriter.write(file, Map.of(name, SafeTensorsWriter.Tensor.ofFloats(new long[] {2}, 1f, 2f)));
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLength % 8, name);
            assertEquals(8 + headerLength + 8, bytes.length, name);
            String header = headerText(file);
            assertTrue(header.startsWith("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"), header);
            assertTrue(header.strip().endsWith("}"), header);
            assertTrue(header.length() - header.strip().length() < 8, header);
        }
    }

    @Test
    void tensorsAreLaidOutInNameOrderAndEntriesFollowOffsets() throws IOException {
        Path file = dir.resolve("order.safetensors");
        Map<String, SafeTensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("c", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 3f));
        tensors.put("a", SafeTensorsWriter.Tensor.ofFloats(new long[] {2}, 1f, 1f));
        tensors.put("b", SafeTensorsWriter.Tensor.ofLongs(new long[] {1}, 2L));
        SafeTensorsWriter.write(file, tensors);
        String header = headerText(file);
        assertTrue(header.indexOf("\"a\"") < header.indexOf("\"b\"") && header.indexOf("\"b\"") < header.indexOf("\"c\""));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(st.entries().keySet()));
            assertEquals(new TensorEntry("b", DType.I64, new long[] {1}, 8, 16), st.entry("b"));
            assertEquals(16, st.entry("c").begin());
            assertArrayEquals(new float[] {3f}, st.floats("c"));
        }
    }

    @Test
    void entriesAndShapesAreImmutable() {
        Path file = dir.resolve("imm.safetensors");
        SafeTensorsWriter.write(file, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        try (SafeTensors st = SafeTensors.open(file)) {
            st.entry("x").shape()[0] = 99;
            assertArrayEquals(new long[] {1}, st.entry("x").shape());
            assertThrows(UnsupportedOperationException.class, () -> st.entries().clear());
        }
    }

    @Test
    void conversionOfOtherDtypesIsRefusedClearly() {
        Path file = dir.resolve("ints.safetensors");
        SafeTensorsWriter.write(file, Map.of("i",
                new SafeTensorsWriter.Tensor(DType.I32, new long[] {1}, ByteBuffer.allocate(4))));
        try (SafeTensors st = SafeTensors.open(file)) {
            WeightsException floats = assertThrows(WeightsException.class, () -> st.floats("i"));
            assertEquals(file + ": tensor \"i\" is I32; floats() converts only F32, F16 and BF16", floats.getMessage());
            WeightsException longs = assertThrows(WeightsException.class, () -> st.longs("i"));
            assertEquals(file + ": tensor \"i\" is I32; longs() converts only I64", longs.getMessage());
        }
    }

    @Test
    void unknownTensorNameIsReported() {
        Path file = dir.resolve("x.safetensors");
        SafeTensorsWriter.write(file, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        try (SafeTensors st = SafeTensors.open(file)) {
            WeightsException e = assertThrows(WeightsException.class, () -> st.bytes("y"));
            assertEquals(file + ": no tensor \"y\"", e.getMessage());
        }
    }

    @Test
    void bytesAfterCloseFailsButEarlierBuffersStayReadable() {
        Path file = dir.resolve("closed.safetensors");
        SafeTensorsWriter.write(file, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 4f)));
        SafeTensors st = SafeTensors.open(file);
        ByteBuffer before = st.bytes("x");
        st.close();
        assertEquals(4f, before.getFloat(0));
        assertThrows(IllegalStateException.class, () -> st.bytes("x"));
    }

    @Test
    void tensorRejectsDataOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SafeTensorsWriter.Tensor(DType.F32, new long[] {3, 4}, ByteBuffer.allocate(40)));
        assertEquals("F32 [3, 4] needs 48 bytes but data holds 40", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SafeTensorsWriter.Tensor(DType.F32, new long[] {-1}, ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class,
                () -> new SafeTensorsWriter.Tensor(DType.F32, new long[] {1L << 62, 4}, ByteBuffer.allocate(0)));
    }

    @Test
    void writerReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensorsWriter.write(file, Map.of("old", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        SafeTensorsWriter.write(file, Map.of("new", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 2f)));
        assertEquals(List.of(file), listDir());
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(List.of("new"), List.copyOf(st.entries().keySet()));
        }
    }

    @Test
    void failedWriteLeavesNoPartialTargetAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        // An interrupted thread makes the FileChannel writes fail half way through.
        Thread.currentThread().interrupt();
        try {
            WeightsException e = assertThrows(WeightsException.class, () -> SafeTensorsWriter.write(file,
                    Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f))));
            assertTrue(e.getMessage().startsWith(file + ": cannot write"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), listDir());
    }

    @Test
    void failedMoveKeepsWhatIsAtTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(WeightsException.class, () -> SafeTensorsWriter.write(target,
                Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f))));
        assertEquals(List.of(target), listDir());
        assertTrue(Files.exists(target.resolve("keep")));
    }

    @Test
    void invalidInputLeavesAnExistingTargetUntouched() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensorsWriter.write(file, Map.of("old", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalArgumentException.class, () -> SafeTensorsWriter.write(file,
                Map.of("__metadata__", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f))));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static String headerText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, length, StandardCharsets.UTF_8);
    }
}
