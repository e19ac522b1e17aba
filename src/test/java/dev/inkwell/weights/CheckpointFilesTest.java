package dev.inkwell.weights;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointFilesTest {

    @TempDir
    Path dir;

    private static void assertRefusal(Path file, String reason, WeightsException e) {
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": refused: " + reason + ". "), message);
        assertTrue(message.contains("Inkwell never executes pickles"), message);
        assertTrue(message.contains("save_pretrained('OUT', safe_serialization=True)"), message);
        assertTrue(message.contains("torch.load('model.ckpt', map_location='cpu', weights_only=True)"), message);
        assertTrue(message.contains("st.save_file("), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.ckpt", "pytorch_model.bin", "weights.pt", "weights.PTH", "state.pkl"})
    void refusesPickleExtensionsEvenBeforeReadingTheFile(String name) {
        Path file = dir.resolve(name);
        WeightsException e = assertThrows(WeightsException.class, () -> CheckpointFiles.requireSafetensors(file));
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
        assertRefusal(file, "." + extension + " files are PyTorch pickle checkpoints", e);
    }

    @Test
    void refusesZipContentWhateverTheExtension() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(file));
        assertRefusal(file, "it is a zip archive (PK\\x03\\x04), the torch.save format wrapping a pickle", e);
    }

    @Test
    void refusesPickleProtocolMarker() throws IOException {
        Path file = dir.resolve("model.safetensors");
        // The legacy torch.save format: PROTO 2, then the LONG1 magic number.
        Files.write(file, new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9});
        WeightsException e = assertThrows(WeightsException.class, () -> CheckpointFiles.requireSafetensors(file));
        assertRefusal(file, "it starts with pickle protocol 2 marker (0x80 0x02)", e);
    }

    @Test
    void refusesPickleProtocol4() throws IOException {
        Path file = dir.resolve("weights");
        Files.write(file, new byte[] {(byte) 0x80, 0x04, (byte) 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, '}'});
        WeightsException e = assertThrows(WeightsException.class, () -> CheckpointFiles.requireSafetensors(file));
        assertRefusal(file, "it starts with pickle protocol 4 marker (0x80 0x04)", e);
    }

    /** A header of 640 bytes starts with 0x80 0x02, like a pickle; it must still be accepted. */
    @Test
    void acceptsSafetensorsWhoseLengthPrefixLooksLikeAPickleMarker() throws IOException {
        Path file = dir.resolve("model.safetensors");
        String name = "x".repeat(640 - "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".length());
        SafeTensorsWriter.write(file, Map.of(name, SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        byte[] head = Files.readAllBytes(file);
        assertEquals(640, ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals((byte) 0x80, head[0]);
        assertEquals(0x02, head[1]);
        assertDoesNotThrow(() -> CheckpointFiles.requireSafetensors(file));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(1f, st.floats(name)[0]);
        }
    }

    @Test
    void acceptsSafetensorsAndLeavesOtherContentToTheParser() throws IOException {
        Path good = dir.resolve("a.safetensors");
        SafeTensorsWriter.write(good, Map.of("x", SafeTensorsWriter.Tensor.ofFloats(new long[] {1}, 1f)));
        assertDoesNotThrow(() -> CheckpointFiles.requireSafetensors(good));
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1});
        assertDoesNotThrow(() -> CheckpointFiles.requireSafetensors(tiny));
    }

    @Test
    void missingFileOrDirectoryIsReported() throws IOException {
        Path missing = dir.resolve("missing.safetensors");
        WeightsException e = assertThrows(WeightsException.class, () -> SafeTensors.open(missing));
        assertEquals(missing + ": not found or not a regular file", e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("unet"));
        assertThrows(WeightsException.class, () -> CheckpointFiles.requireSafetensors(folder));
    }
}
