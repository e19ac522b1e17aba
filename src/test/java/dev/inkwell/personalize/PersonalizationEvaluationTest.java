package dev.inkwell.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.judge.Attribute;
import dev.inkwell.metrics.NamedAttributes;
import dev.inkwell.world.Scene;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The personalization benchmark's individuals and prompts. */
class PersonalizationEvaluationTest {
    @Test
    void individualsDifferAndPromptsNameWhatTheyAskFor() {
        Scene a = PersonalizationEvaluation.individual(7, 0);
        Scene b = PersonalizationEvaluation.individual(7, 1);
        assertNotEquals(a, b);
        assertEquals(5, PersonalizationEvaluation.pictures(a, 7).size());
        List<String> prompts = PersonalizationEvaluation.prompts(a, 20, 7);
        assertEquals(20, prompts.size());
        for (String p : prompts) {
            assertTrue(p.startsWith("a photo of a ") && p.contains("<new1> " + a.subject().word()), p);
            String plain = PersonalizationEvaluation.withoutToken(p);
            assertTrue(!plain.contains("<new1>"), plain);
            Map<Attribute, Enum<?>> named = NamedAttributes.of(plain);
            assertEquals(a.subject(), named.get(Attribute.SUBJECT), p);
            assertTrue(named.containsKey(Attribute.SETTING) && named.size() >= 3, p + " names " + named);
            assertTrue(!named.containsKey(Attribute.COLOUR), "the colour is the individual's, never asked: " + p);
        }
    }
}
