package dev.inkwell.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ftfy's own test cases (tests/test-cases/*.json of ftfy 6.3.1) that ftfy passes. */
class FtfyTestCasesTest {

    private static final List<String> FILES = List.of("in-the-wild", "synthetic", "negative", "language-names");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String file : FILES) {
            try (InputStream in = FtfyTestCasesTest.class.getResourceAsStream("/ftfy/test-cases/" + file + ".json")) {
                for (JsonNode c : json.readTree(in)) {
                    if (c.get("expect").asText().equals("pass")) {
                        String fixed = c.get("fixed").asText();
                        String fixedEncoding = c.has("fixed-encoding") ? c.get("fixed-encoding").asText() : fixed;
                        cases.add(Arguments.of(c.get("label").asText(), c.get("original").asText(), fixed, fixedEncoding));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixesLikeFtfy(String label, String original, String fixed, String fixedEncoding) {
        assertEquals(fixed, TextFixer.fixText(original), "fix_text");
        assertEquals(fixedEncoding, TextFixer.fixEncoding(original), "fix_encoding");
    }
}
