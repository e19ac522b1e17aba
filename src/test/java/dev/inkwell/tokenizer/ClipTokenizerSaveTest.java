package dev.inkwell.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerSaveTest {

    @Test
    void savedFolderReadsBackAsTheSameTokenizer(@TempDir Path dir) throws Exception {
        ClipTokenizer original = ClipTokenizer.openAiDefault();
        original.save(dir);
        ClipTokenizer loaded = ClipTokenizer.fromDirectory(dir);
        for (String text : List.of("a photo of a red fox wearing a blue scarf, jumping in the snow",
                "Ünïcödé café — naïve résumé 😀", "a storybook image of an orange robot underwater", "")) {
            assertArrayEquals(original.encodeForModel(text), loaded.encodeForModel(text), text);
        }
        assertEquals(original.vocabSize(), loaded.vocabSize());
        assertEquals(original.padId(), loaded.padId());
        assertEquals(original.maxLength(), loaded.maxLength());
    }
}
