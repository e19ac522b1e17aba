package dev.inkwell.tokenizer;

import dev.inkwell.testing.Goldens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenAI's gzipped BPE file must give exactly the vocabulary and ids of the diffusers tokenizer folders. */
class ClipVocabularyTest {

    private static final List<String> PROMPTS = List.of(
            "", "a photo of an astronaut riding a horse on mars", "hello, world!!! (masterpiece:1.2) [foo|bar]",
            "café crème brûlée", "一只可爱的猫在月光下", "a cat 🐱 with 🎉🔥 emojis 👍🏽", "1024x768 3.14159 $100 50%",
            "<|startoftext|>inner<|endoftext|>", "ΟΔΟΣ Straße İstanbul", "â€œmojibakeâ€\u009d!");

    private static ClipTokenizer directory;
    private static ClipTokenizer directory2;
    private static ClipTokenizer bundled;

    @BeforeAll
    static void load() {
        directory = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer"));
        directory2 = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer_2"));
        bundled = ClipTokenizer.openAiDefault();
    }

    @Test
    void everyIdHasTheSameToken() {
        assertEquals(49408, bundled.vocabSize());
        assertEquals(directory.vocabSize(), bundled.vocabSize());
        for (int id = 0; id < directory.vocabSize(); id++) {
            assertEquals(directory.tokenString(id), bundled.tokenString(id), "id " + id);
        }
        assertEquals("!", bundled.tokenString(0));
        assertEquals("<|startoftext|>", bundled.tokenString(49406));
        assertEquals("<|endoftext|>", bundled.tokenString(49407));
    }

    @Test
    void specialIdsMatch() {
        assertEquals(directory.bosId(), bundled.bosId());
        assertEquals(directory.eosId(), bundled.eosId());
        assertEquals(directory.padId(), bundled.padId());
        assertEquals(directory.maxLength(), bundled.maxLength());
        assertEquals(directory2.padId(), ClipTokenizer.openAiDefault("!").padId());
    }

    @Test
    void promptsEncodeIdentically() {
        ClipTokenizer bundled2 = ClipTokenizer.openAiDefault("!");
        for (String prompt : PROMPTS) {
            assertArrayEquals(directory.encodeForModel(prompt), bundled.encodeForModel(prompt), prompt);
            assertArrayEquals(directory2.encodeForModel(prompt), bundled2.encodeForModel(prompt), prompt);
        }
    }
}
