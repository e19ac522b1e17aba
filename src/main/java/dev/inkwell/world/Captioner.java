package dev.inkwell.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plain English captions from templates. The subject is always named; colour, size, accessory, pose and
 * setting each only with probability {@link #NAME_PROBABILITY}, so a model learns them as optional
 * conditions. Identity attributes are never named. An absent accessory is never named either.
 */
public final class Captioner {

    static final double NAME_PROBABILITY = 0.6;
    private static final List<String> OPENINGS =
            List.of("", "a photo of ", "a picture of ", "an illustration of ", "a drawing of ", "a storybook image of ");

    private final SplittableRandom random;

    public Captioner(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public Caption caption(Scene scene) {
        Set<String> named = new HashSet<>();
        named.add(Caption.SUBJECT);
        List<String> noun = new ArrayList<>();
        if (chance()) {
            noun.add(scene.size().word());
            named.add(Caption.SIZE);
        }
        if (chance()) {
            noun.add(scene.colour().word());
            named.add(Caption.COLOUR);
        }
        noun.add(scene.subject().word());
        String nounPhrase = article(noun.get(0)) + " " + String.join(" ", noun);

        StringBuilder text = new StringBuilder(nounPhrase);
        if (scene.accessory() != Accessory.NONE && chance()) {
            text.append(accessoryPhrase(scene.accessory()));
            named.add(Caption.ACCESSORY);
        }
        boolean namePose = chance();
        boolean nameSetting = chance();
        if (namePose) {
            text.append(scene.accessory() != Accessory.NONE && named.contains(Caption.ACCESSORY) ? ", " : " ");
            text.append(scene.pose().word());
            named.add(Caption.POSE);
        }
        String opening = OPENINGS.get(random.nextInt(OPENINGS.size()));
        if (!nameSetting) {
            return new Caption(opening + text, named);
        }
        named.add(Caption.SETTING);
        String where = scene.setting().phrases().get(random.nextInt(scene.setting().phrases().size()));
        return new Caption(random.nextBoolean() ? opening + text + " " + where : where + ", " + text, named);
    }

    private String accessoryPhrase(Accessory accessory) {
        String item = accessory == Accessory.GLASSES ? "glasses" : "a " + accessory.word();
        return (random.nextBoolean() ? " wearing " : " with ") + item;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private boolean chance() {
        return random.nextDouble() < NAME_PROBABILITY;
    }
}
