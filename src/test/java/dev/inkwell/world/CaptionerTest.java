package dev.inkwell.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CaptionerTest {

    private static final Set<String> IDENTITY_WORDS = Set.of("spots", "spotted", "stripes", "striped", "patch",
            "plain", "eyes", "eyed", "compact", "short", "long", "ears", "tail");

    private static List<Caption> captions(List<Scene> scenes, long seed) {
        Captioner captioner = new Captioner(seed);
        return scenes.stream().map(captioner::caption).toList();
    }

    private static List<Scene> scenes(int n) {
        SceneSampler sampler = new SceneSampler(11);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scenes.add(sampler.next());
        }
        return scenes;
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase().split("[^a-z]+")).collect(Collectors.toSet());
    }

    @Test
    void deterministicPerSeed() {
        List<Scene> scenes = scenes(200);
        assertEquals(captions(scenes, 1), captions(scenes, 1));
        assertNotEquals(captions(scenes, 1), captions(scenes, 2));
    }

    @Test
    void namedAttributesAppearAndNothingElseDoes() {
        List<Scene> scenes = scenes(3000);
        List<Caption> captions = captions(scenes, 3);
        int[] namedCounts = new int[6];
        List<String> optional = List.of(Caption.COLOUR, Caption.ACCESSORY, Caption.SETTING, Caption.POSE, Caption.SIZE);
        for (int i = 0; i < scenes.size(); i++) {
            Scene s = scenes.get(i);
            Caption c = captions.get(i);
            Set<String> w = words(c.text());
            Set<String> named = c.namedAttributes();
            assertTrue(named.contains(Caption.SUBJECT) && w.contains(s.subject().word()), c.text());
            assertEquals(named.contains(Caption.POSE), w.contains(s.pose().word()), c.text());
            assertEquals(named.contains(Caption.SIZE), w.contains(s.size().word()), c.text());
            assertEquals(named.contains(Caption.SETTING), w.contains(s.setting().word()), c.text());
            assertEquals(named.contains(Caption.ACCESSORY), w.contains(s.accessory().word()), c.text());
            Set<String> colourWords = Arrays.stream(Colour.values()).map(Colour::word).filter(w::contains)
                    .collect(Collectors.toSet());
            assertEquals(named.contains(Caption.COLOUR) ? Set.of(s.colour().word()) : Set.of(), colourWords, c.text());
            assertTrue(w.stream().noneMatch(IDENTITY_WORDS::contains), c.text());
            for (int k = 0; k < optional.size(); k++) {
                namedCounts[k] += named.contains(optional.get(k)) ? 1 : 0;
            }
        }
        for (int k = 0; k < optional.size(); k++) {
            // accessory is only named when one is worn (3 of 4 scenes)
            double expected = Captioner.NAME_PROBABILITY * (optional.get(k).equals(Caption.ACCESSORY) ? 0.75 : 1);
            assertEquals(expected, namedCounts[k] / 3000.0, 0.04, optional.get(k));
        }
    }

    @Test
    void captionsFitInClipContext() {
        ClipTokenizer tokenizer = ClipTokenizer.openAiDefault();
        int longest = captions(scenes(3000), 4).stream()
                .mapToInt(c -> tokenizer.encode(c.text()).length).max().orElseThrow();
        assertTrue(longest <= 77, "longest caption has " + longest + " tokens");
    }
}
