package dev.inkwell.tokenizer;

import dev.inkwell.testing.Goldens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from folders: config variants that occur in the wild, and errors that name the bad file. */
class TokenizerLoadingTest {

    private static final Path REFERENCE = Goldens.resource("reference/models/sdxl-tiny/tokenizer");

    @TempDir
    Path dir;

    @Test
    void padTokenMayBeAnAddedTokenObjectInSpecialTokensMapAlone() throws IOException {
        copyVocabularyFiles();
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": {\"content\": \"!\", \"lstrip\": false}}");
        ClipTokenizer t = ClipTokenizer.fromDirectory(dir);
        assertEquals(0, t.padId());
        assertEquals(77, t.maxLength(), "model_max_length defaults to 77");
        assertArrayEquals(new int[] {49406, 3306, 0, 49407}, t.encode("hello!"));
    }

    @Test
    void specialTokensMapOverridesTokenizerConfig() throws IOException {
        copyVocabularyFiles();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"!\", \"model_max_length\": 10}");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<|endoftext|>\"}");
        ClipTokenizer t = ClipTokenizer.fromDirectory(dir);
        assertEquals(49407, t.padId());
        assertEquals(10, t.maxLength());
        assertArrayEquals(new int[] {49406, 2368, 2368, 2368, 2368, 2368, 2368, 2368, 2368, 49407},
                t.encodeForModel("cat ".repeat(20)));
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());

        Files.copy(REFERENCE.resolve("vocab.json"), dir.resolve("vocab.json"));
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());

        Files.copy(REFERENCE.resolve("merges.txt"), dir.resolve("merges.txt"));
        e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("special_tokens_map.json"),
                e.getMessage());
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        copyVocabularyFiles();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1e30}");
        assertMessageNames("tokenizer_config.json", "model_max_length");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": 5}");
        assertMessageNames("tokenizer_config.json", "pad_token");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"<never seen>\"}");
        assertMessageNames(dir.toString(), "<never seen>");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{");
        assertMessageNames("tokenizer_config.json", "not valid JSON");

        Files.writeString(dir.resolve("vocab.json"), "[1, 2]");
        assertMessageNames("vocab.json");

        copyVocabularyFiles();
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\ni n\nt h e\n");
        assertMessageNames("merges.txt", "line 3");
    }

    @Test
    void corruptGzipIsReported() {
        assertThrows(UncheckedIOException.class,
                () -> ClipTokenizer.fromClipVocabulary(new ByteArrayInputStream(new byte[] {1, 2, 3}), "!"));
    }

    private void assertMessageNames(String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromDirectory(dir));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private void copyVocabularyFiles() throws IOException {
        Files.copy(REFERENCE.resolve("vocab.json"), dir.resolve("vocab.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(REFERENCE.resolve("merges.txt"), dir.resolve("merges.txt"), StandardCopyOption.REPLACE_EXISTING);
    }
}
