package dev.inkwell.storybook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default model's cache copy is checked on use and repaired when damaged. */
class ModelCacheTest {
    private static final Map<String, byte[]> FILES = Map.of("a/config.json", "{\"x\": 1}".getBytes(StandardCharsets.UTF_8),
            "a/model.safetensors", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    private static final ModelCache.Source SOURCE = new ModelCache.Source() {
        @Override
        public InputStream open(String file) {
            return new java.io.ByteArrayInputStream(FILES.get(file));
        }

        @Override
        public long size(String file) {
            return FILES.get(file).length;
        }
    };

    private static String manifest() {
        StringBuilder s = new StringBuilder();
        for (String file : new String[] {"a/config.json", "a/model.safetensors"}) {
            s.append(dev.inkwell.io.Sha256.hex(FILES.get(file))).append("  ").append(file).append('\n');
        }
        return s.toString();
    }

    @Test
    void aDamagedCopyIsFoundAndUnpackedAgain(@TempDir Path root) throws IOException {
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(notices, true, StandardCharsets.UTF_8);
        Path folder = ModelCache.folder(root, manifest(), SOURCE, out);
        Path weights = folder.resolve("a/model.safetensors");
        assertArrayEquals(FILES.get("a/model.safetensors"), Files.readAllBytes(weights));
        assertTrue(Files.exists(folder.resolve(ModelCache.VERIFIED)));
        assertEquals("", notices.toString(StandardCharsets.UTF_8), "a first unpack is not a repair");

        Files.write(weights, new byte[] {1, 2, 3}); // truncated: found by size on every use
        assertEquals(folder, ModelCache.folder(root, manifest(), SOURCE, out));
        assertArrayEquals(FILES.get("a/model.safetensors"), Files.readAllBytes(weights));
        assertTrue(notices.toString(StandardCharsets.UTF_8).contains("a/model.safetensors has 3 bytes, not 8"), notices.toString());

        // Same size, other bytes, in a copy never verified (as an older Inkwell left it): found by hash.
        Files.write(weights, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        Files.delete(folder.resolve(ModelCache.VERIFIED));
        ModelCache.folder(root, manifest(), SOURCE, out);
        assertArrayEquals(FILES.get("a/model.safetensors"), Files.readAllBytes(weights));
        assertTrue(notices.toString(StandardCharsets.UTF_8).contains("does not match its SHA-256"), notices.toString());

        Files.delete(folder.resolve("a/config.json"));
        ModelCache.folder(root, manifest(), SOURCE, out);
        assertArrayEquals(FILES.get("a/config.json"), Files.readAllBytes(folder.resolve("a/config.json")));
        try (var left = Files.list(root)) {
            assertEquals(1, left.count(), "no temporary folders left");
        }
    }
}
