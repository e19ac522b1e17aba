package dev.inkwell.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SceneSamplerTest {

    private static List<Scene> sample(long seed, int n) {
        SceneSampler sampler = new SceneSampler(seed);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scenes.add(sampler.next());
        }
        return scenes;
    }

    @Test
    void sameSeedSameScenesDifferentSeedDifferentScenes() {
        assertEquals(sample(7, 50), sample(7, 50));
        assertNotEquals(sample(7, 50), sample(8, 50));
    }

    @Test
    void twoThousandScenesCoverEveryValueOfEveryAttribute() {
        List<Scene> scenes = sample(1, 2000);
        List<Function<Scene, Enum<?>>> attributes = List.of(Scene::subject, Scene::colour, Scene::accessory,
                Scene::setting, Scene::pose, Scene::size, Scene::pattern, Scene::accessoryColour, Scene::eyeColour,
                Scene::proportions, Scene::appendages);
        for (Function<Scene, Enum<?>> attribute : attributes) {
            Set<Object> seen = new java.util.HashSet<>();
            scenes.forEach(s -> seen.add(attribute.apply(s)));
            Object[] all = attribute.apply(scenes.get(0)).getDeclaringClass().getEnumConstants();
            assertEquals(Set.of(all), seen, "values seen for " + all[0].getClass().getSimpleName());
        }
    }

    @Test
    void accessoryColourNeverEqualsBodyColour() {
        assertTrue(sample(3, 2000).stream().noneMatch(s -> s.accessoryColour() == s.colour()));
    }

    @Test
    void queryFixesGivenAttributesAndLeavesIdentityFree() {
        SceneQuery query = SceneQuery.ANY.withSubject(Subject.FOX).withColour(Colour.RED);
        SceneSampler sampler = new SceneSampler(5);
        List<Scene> scenes = Stream.generate(() -> sampler.next(query)).limit(500).toList();
        assertTrue(scenes.stream().allMatch(s -> s.subject() == Subject.FOX && s.colour() == Colour.RED));
        EnumSet<Pattern> patterns = EnumSet.noneOf(Pattern.class);
        EnumSet<Setting> settings = EnumSet.noneOf(Setting.class);
        scenes.forEach(s -> {
            patterns.add(s.pattern());
            settings.add(s.setting());
        });
        assertEquals(EnumSet.allOf(Pattern.class), patterns);
        assertEquals(EnumSet.allOf(Setting.class), settings);
    }
}
