package dev.inkwell.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judgement;
import dev.inkwell.judge.Prediction;
import dev.inkwell.world.Accessory;
import dev.inkwell.world.Appendages;
import dev.inkwell.world.Colour;
import dev.inkwell.world.EyeColour;
import dev.inkwell.world.Pattern;
import dev.inkwell.world.Pose;
import dev.inkwell.world.Proportions;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Size;
import dev.inkwell.world.Subject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static Judgement judged(Pattern pattern, EyeColour eyes, Pose pose, Accessory accessory, Colour accessoryColour,
            Colour colour) {
        Map<Attribute, Prediction> p = new EnumMap<>(Attribute.class);
        Map<Attribute, Enum<?>> v = new EnumMap<>(Attribute.class);
        v.put(Attribute.SUBJECT, Subject.FOX);
        v.put(Attribute.COLOUR, colour);
        v.put(Attribute.ACCESSORY, accessory);
        v.put(Attribute.SETTING, Setting.SNOW);
        v.put(Attribute.POSE, pose);
        v.put(Attribute.SIZE, Size.SMALL);
        v.put(Attribute.PATTERN, pattern);
        v.put(Attribute.ACCESSORY_COLOUR, accessoryColour);
        v.put(Attribute.EYE_COLOUR, eyes);
        v.put(Attribute.PROPORTIONS, Proportions.BALANCED);
        v.put(Attribute.APPENDAGES, Appendages.SHORT);
        v.forEach((a, value) -> p.put(a, new Prediction(a, value, 0.9)));
        return new Judgement(p);
    }

    @Test
    void identityConsistencyAveragesEachAttributesAgreeingPairs() {
        Judgement a = judged(Pattern.SPOTS, EyeColour.GREEN, Pose.SITTING, Accessory.HAT, Colour.RED, Colour.BLUE);
        Judgement b = judged(Pattern.SPOTS, EyeColour.GREEN, Pose.SITTING, Accessory.HAT, Colour.RED, Colour.BLUE);
        assertEquals(1.0, IdentityConsistency.of(List.of(a, b), false), 1e-12);
        // Pattern differs in one of three pairs... with three frames, two agreeing: pattern 1/3 of pairs agree.
        Judgement c = judged(Pattern.STRIPES, EyeColour.GREEN, Pose.SITTING, Accessory.HAT, Colour.RED, Colour.BLUE);
        // pattern 1/3, eyes, proportions, appendages, accessory colour, colour 1 each: (1/3 + 5) / 6
        assertEquals((1.0 / 3 + 5) / 6, IdentityConsistency.of(List.of(a, b, c), false), 1e-12);
        // A sleeping frame hides its eyes and a frame without accessory its colour: those pairs do not count.
        Judgement sleeping = judged(Pattern.SPOTS, EyeColour.RED, Pose.SLEEPING, Accessory.NONE, Colour.YELLOW, Colour.BLUE);
        assertEquals(1.0, IdentityConsistency.of(List.of(a, b, sleeping), false), 1e-12);
        // A named colour is not an identity attribute.
        Judgement green = judged(Pattern.SPOTS, EyeColour.GREEN, Pose.SITTING, Accessory.HAT, Colour.RED, Colour.GREEN);
        assertEquals(5.0 / 6, IdentityConsistency.of(List.of(a, green), false), 1e-12);
        assertEquals(1.0, IdentityConsistency.of(List.of(a, green), true), 1e-12);
        assertTrue(Double.isNaN(IdentityConsistency.of(List.of(a), false)));
    }

    @Test
    void namedAttributesAreReadFromTheCaptionsVocabulary() {
        Map<Attribute, Enum<?>> named = NamedAttributes.of("a small red fox wearing glasses, sleeping under the night sky");
        assertEquals(Map.of(Attribute.SUBJECT, Subject.FOX, Attribute.COLOUR, Colour.RED, Attribute.SIZE, Size.SMALL,
                Attribute.ACCESSORY, Accessory.GLASSES, Attribute.POSE, Pose.SLEEPING, Attribute.SETTING, Setting.NIGHT_SKY), named);
        assertEquals(Map.of(Attribute.SETTING, Setting.SNOW, Attribute.POSE, Pose.JUMPING),
                NamedAttributes.of("jumping on a snowy day in the snow"));
        assertEquals(Map.of(), NamedAttributes.of("a photo of a"));
        Judgement j = judged(Pattern.SPOTS, EyeColour.GREEN, Pose.SITTING, Accessory.HAT, Colour.RED, Colour.BLUE);
        assertEquals(0.5, NamedAttributes.agreement(Map.of(Attribute.POSE, Pose.SITTING, Attribute.SETTING, Setting.BEACH), j), 1e-12);
    }

    @Test
    void bootstrapIntervalsCoverTheMeanAndShrinkWithMoreUnits() {
        double[] few = {0.2, 0.4, 0.6, 0.8};
        double[] ci = Bootstrap.ci95(few, 1);
        assertTrue(ci[0] < 0.5 && 0.5 < ci[1] && ci[0] >= 0.2 && ci[1] <= 0.8, ci[0] + " " + ci[1]);
        double[] many = new double[400];
        for (int i = 0; i < many.length; i++) {
            many[i] = few[i % 4];
        }
        double[] narrow = Bootstrap.ci95(many, 1);
        assertTrue(narrow[1] - narrow[0] < (ci[1] - ci[0]) / 5);
        double[] d = Bootstrap.differenceCi95(new double[] {1, 1, 1, 1}, few, 1);
        assertTrue(d[0] > 0, "a paired difference that is always positive");
        assertEquals(0.5, Bootstrap.mean(new double[] {0.5, Double.NaN}), 1e-12);
    }
}
