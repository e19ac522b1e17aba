package dev.inkwell.tokenizer;

import dev.inkwell.testing.Goldens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every prompt of the reference goldens (HF slow CLIPTokenizer with ftfy, transformers 4.45): ids
 * untruncated, padded to 77 by tokenizer (pad 49407) and tokenizer_2 (pad "!"), and token strings.
 */
class GoldenTokenizerTest {

    private static JsonNode golden;
    private static ClipTokenizer tokenizer;
    private static ClipTokenizer tokenizer2;
    private static ClipTokenizer openAi;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = GoldenTokenizerTest.class.getResourceAsStream("/reference/goldens/tokenizer.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        tokenizer = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer"));
        tokenizer2 = ClipTokenizer.fromDirectory(Goldens.resource("reference/models/sdxl-tiny/tokenizer_2"));
        openAi = tokenizer.withNormalization(TextNormalization.OPENAI);
    }

    static Stream<Arguments> prompts() throws IOException {
        try (InputStream in = GoldenTokenizerTest.class.getResourceAsStream("/reference/goldens/tokenizer.json")) {
            List<Arguments> args = new ArrayList<>();
            for (JsonNode p : new ObjectMapper().readTree(in).get("prompts")) {
                args.add(Arguments.of(p.get("index").asInt(), p));
            }
            return args.stream();
        }
    }

    @Test
    void specialIdsMatchTheGoldenHeader() {
        assertEquals(golden.get("bos_id").asInt(), tokenizer.bosId());
        assertEquals(golden.get("eos_id").asInt(), tokenizer.eosId());
        assertEquals(golden.get("pad_id_tokenizer").asInt(), tokenizer.padId());
        assertEquals(golden.get("pad_id_tokenizer2").asInt(), tokenizer2.padId());
        assertTrue(golden.get("prompts").size() >= 12);
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void matchesGolden(int index, JsonNode prompt) {
        String text = prompt.get("text").asText();
        int[] untruncated = ints(prompt.get("ids_untruncated"));
        assertArrayEquals(untruncated, tokenizer.encode(text), "ids_untruncated");
        assertEquals(prompt.get("n_tokens_untruncated").asInt(), untruncated.length);
        assertArrayEquals(ints(prompt.get("ids_77")), tokenizer.encodeForModel(text), "ids_77");
        assertArrayEquals(ints(prompt.get("ids_77_tokenizer2")), tokenizer2.encodeForModel(text), "ids_77_tokenizer2");
        List<String> tokens = new ArrayList<>();
        prompt.get("tokens").forEach(t -> tokens.add(t.asText()));
        assertEquals(tokens, tokenizer.tokenStrings(untruncated), "tokens");
        if (prompt.has("openai")) {
            assertArrayEquals(ints(prompt.get("openai")), openAi.encode(text), "openai variant");
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
