package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed header is reported as a WeightsException naming the file and, where relevant, the
 * tensor; plus the 2 GiB per-tensor mapping limit.
 */
class SafeTensorsCorruptionTest {

    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, content);
        return file;
    }

    /** A file whose 8-byte prefix declares {@code declaredLength}, followed by {@code header} and zeroed data. */
    private Path file(long declaredLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(header);
        return file(buffer.array());
    }

    private Path file(String header, int dataBytes) throws IOException {
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        return file(bytes.length, bytes, dataBytes);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static String failure(Path file) {
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    @Test
    void fileShorterThan8Bytes() throws IOException {
        assertEquals("file is 5 bytes, too short for the 8-byte header length", failure(file(new byte[5])));
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals("file is 0 bytes, too short for the 8-byte header length", failure(file(new byte[0])));
    }

    @Test
    void headerLengthOverTheSafetensorsLimit() throws IOException {
        assertEquals("header length 100000001 exceeds the safetensors limit of 100000000 bytes",
                failure(file(100_000_001L, new byte[0], 0)));
    }

    @Test
    void headerLengthBeyondSigned64Bits() throws IOException {
        assertEquals("header length 18446744073709551615 exceeds the safetensors limit of 100000000 bytes",
                failure(file(-1L, new byte[0], 0)));
    }

    @Test
    void headerLengthPastTheEndOfFile() throws IOException {
        assertEquals("header length 100 runs past the end of the file (28 bytes; truncated?)",
                failure(file(100, "{}".getBytes(StandardCharsets.US_ASCII), 18)));
    }

    @Test
    void headerNotUtf8() throws IOException {
        assertEquals("header is not valid UTF-8",
                failure(file(4, new byte[] {'{', (byte) 0xC3, 0x28, '}'}, 0)));
    }

    @Test
    void headerNotJson() throws IOException {
        assertTrue(failure(file("{\"a\": ", 0)).startsWith("header is not valid JSON: "));
    }

    @Test
    void headerWithTrailingJson() throws IOException {
        assertTrue(failure(file("{} {}", 0)).startsWith("header is not valid JSON: "));
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertEquals("header is not a JSON object", failure(file("[1, 2]    ", 0)));
    }

    @Test
    void emptyHeader() throws IOException {
        assertEquals("header is not a JSON object", failure(file("", 0)));
    }

    @Test
    void duplicateTensorName() throws IOException {
        String message = failure(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8));
        assertTrue(message.startsWith("header is not valid JSON: Duplicate field 'a'"), message);
    }

    @Test
    void metadataNotAnObject() throws IOException {
        assertEquals("__metadata__ must be a JSON object of strings, got ARRAY",
                failure(file("{\"__metadata__\":[]}", 0)));
    }

    @Test
    void metadataValueNotAString() throws IOException {
        assertEquals("__metadata__ value of \"epoch\" must be a string, got NUMBER",
                failure(file("{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}}", 0)));
    }

    @Test
    void entryNotAnObject() throws IOException {
        assertEquals("tensor \"w\": entry must be a JSON object, got NUMBER", failure(file("{\"w\": 5}", 0)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}                   | missing \"dtype\"",
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}               | missing \"shape\"",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}                        | missing \"data_offsets\"",
    })
    void missingField(String header, String expected) throws IOException {
        assertEquals("tensor \"w\": " + expected, failure(file(header, 4)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"w\":{\"dtype\":5,\"shape\":[1],\"data_offsets\":[0,4]}}             | \"dtype\" must be a string, got NUMBER",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}     | \"shape\" must be an array of non-negative integers, got STRING",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}     | \"shape\" must hold non-negative 64-bit integers, got [1.5]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}   | \"shape\" must hold non-negative 64-bit integers, got [\"1\"]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}         | \"data_offsets\" must be an array [begin, end], got [4]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{}}}          | \"data_offsets\" must be an array [begin, end], got {}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}   | \"data_offsets\" must hold non-negative 64-bit integers, got [0,\"4\"]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}       | \"data_offsets\" must hold non-negative 64-bit integers, got [-4,0]",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}} | \"data_offsets\" must hold non-negative 64-bit integers, got [0,18446744073709551616]",
    })
    void wrongFieldType(String header, String expected) throws IOException {
        assertEquals("tensor \"w\": " + expected, failure(file(header, 4)));
    }

    @Test
    void unknownDtype() throws IOException {
        assertEquals("tensor \"w\": unknown dtype \"Q4_K\"", failure(file("{" + tensor("w", "Q4_K", "[1]", 0, 1) + "}", 1)));
    }

    @Test
    void dtypeNamesAreCaseSensitive() throws IOException {
        assertEquals("tensor \"w\": unknown dtype \"f32\"", failure(file("{" + tensor("w", "f32", "[1]", 0, 4) + "}", 4)));
    }

    @Test
    void negativeDimension() throws IOException {
        assertEquals("tensor \"w\": \"shape\" must hold non-negative 64-bit integers, got [2,-2]",
                failure(file("{" + tensor("w", "F32", "[2,-2]", 0, 16) + "}", 16)));
    }

    @Test
    void elementCountOverflow() throws IOException {
        assertEquals("tensor \"w\": F32 [4294967296, 4294967296] is too large: its byte count overflows 64 bits",
                failure(file("{" + tensor("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4)));
    }

    @Test
    void byteCountOverflow() throws IOException {
        assertEquals("tensor \"w\": F64 [2305843009213693952] is too large: its byte count overflows 64 bits",
                failure(file("{" + tensor("w", "F64", "[2305843009213693952]", 0, 8) + "}", 8)));
    }

    @Test
    void beginAfterEnd() throws IOException {
        assertEquals("tensor \"w\": data_offsets [8, 4]: begin is after end",
                failure(file("{" + tensor("w", "F32", "[1]", 8, 4) + "}", 8)));
    }

    @Test
    void byteCountDoesNotMatchShape() throws IOException {
        Path file = file("{" + tensor("down.0.weight", "F32", "[3,4]", 0, 40) + "}", 40);
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(file));
        assertEquals(file + ": tensor \"down.0.weight\": data_offsets [0, 40] hold 40 bytes but F32 [3, 4] needs 48",
                e.getMessage());
    }

    @Test
    void endBeyondTheDataRegion() throws IOException {
        assertEquals("tensor \"w\": data_offsets [0, 48] end beyond the data region of 40 bytes (truncated file?)",
                failure(file("{" + tensor("w", "F32", "[3,4]", 0, 48) + "}", 40)));
    }

    @Test
    void overlappingRanges() throws IOException {
        String header = "{" + tensor("a", "F32", "[12]", 0, 48) + "," + tensor("b", "F32", "[12]", 40, 88) + "}";
        assertEquals("tensor \"b\": data [40, 88] overlaps tensor \"a\" [0, 48]", failure(file(header, 88)));
    }

    @Test
    void identicalRanges() throws IOException {
        String header = "{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 0, 8) + "}";
        assertEquals("tensor \"b\": data [0, 8] overlaps tensor \"a\" [0, 8]", failure(file(header, 8)));
    }

    @Test
    void holeBetweenTensors() throws IOException {
        String header = "{" + tensor("b", "F32", "[2]", 16, 24) + "," + tensor("a", "F32", "[2]", 0, 8) + "}";
        assertEquals("tensor \"b\": data starts at 16 but the previous tensor ends at 8; "
                + "safetensors requires tensors to be contiguous, without holes", failure(file(header, 24)));
    }

    @Test
    void firstTensorNotAtZero() throws IOException {
        assertEquals("tensor \"a\": data starts at 8 but the previous tensor ends at 0; "
                + "safetensors requires tensors to be contiguous, without holes",
                failure(file("{" + tensor("a", "F32", "[2]", 8, 16) + "}", 16)));
    }

    @Test
    void trailingBytesAfterTheLastTensor() throws IOException {
        assertEquals("tensors cover 8 bytes but the data region holds 16; safetensors requires them to cover it exactly",
                failure(file("{" + tensor("a", "F32", "[2]", 0, 8) + "}", 16)));
    }

    @Test
    void noTensorsButData() throws IOException {
        assertEquals("tensors cover 0 bytes but the data region holds 4; safetensors requires them to cover it exactly",
                failure(file("{}", 4)));
    }

    @Test
    void outOfOrderButContiguousRangesAreValid() throws IOException {
        String header = "{" + tensor("second", "F32", "[1]", 4, 8) + "," + tensor("first", "I32", "[1]", 0, 4) + "}";
        try (SafeTensors st = SafeTensors.open(file(header, 8))) {
            assertEquals(List.of("first", "second"), List.copyOf(st.entries().keySet()));
        }
    }

    @Test
    void headerWithUnknownKeysAndNullMetadataIsAccepted() throws IOException {
        String header = "{\"__metadata__\":null,\"w\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3],\"extra\":true}}";
        try (SafeTensors st = SafeTensors.open(file(header, 3))) {
            assertEquals(3, st.entry("w").byteSize());
            assertEquals(Map.of(), st.metadata());
        }
    }

    /** A sparse file of over 3 GiB: tensors past 2 GiB map fine, a tensor of 2 GiB or more is refused clearly. */
    @Test
    void filesBeyond2GiBAreMappedPerTensor() throws IOException {
        long big = 3L << 30;
        String header = "{" + tensor("big", "U8", "[" + big + "]", 0, big) + ","
                + tensor("tail", "F32", "[1]", big, big + 4) + "}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        Path file = file(headerBytes.length, headerBytes, 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + headerBytes.length + big + 4);
            raf.seek(8 + headerBytes.length + big);
            raf.write(new byte[] {0, 0, (byte) 0x80, 0x3F});
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(1f, st.floats("tail")[0]);
            WeightsException e = assertThrows(WeightsException.class, () -> st.bytes("big"));
            assertEquals(file + ": tensor \"big\" is 3221225472 bytes; a single tensor must be smaller than 2 GiB to be mapped",
                    e.getMessage());
        }
    }
}
