package dev.inkwell.metrics;

import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judgement;
import dev.inkwell.world.Accessory;
import dev.inkwell.world.Pose;
import java.util.ArrayList;
import java.util.List;

/**
 * How consistently the storybook judge sees one character across a story's frames: for each
 * identity attribute, the share of frame pairs given the same value, averaged over the
 * attributes. The identity attributes are those no caption of the world names (pattern, eye
 * colour, proportions, appendages), the accessory's colour where both frames show an accessory,
 * eye colour only where both frames show open eyes (not sleeping), and the body colour when the
 * identity prompt leaves it open.
 */
public final class IdentityConsistency {
    private IdentityConsistency() {}

    /** The attributes compared; {@link Attribute#COLOUR} only when the identity prompt does not name it. */
    public static List<Attribute> attributes(boolean colourNamed) {
        List<Attribute> out = new ArrayList<>(List.of(Attribute.PATTERN, Attribute.EYE_COLOUR, Attribute.PROPORTIONS,
                Attribute.APPENDAGES, Attribute.ACCESSORY_COLOUR));
        if (!colourNamed) {
            out.add(Attribute.COLOUR);
        }
        return out;
    }

    /**
     * @param frames the judge's reading of each frame
     * @return in [0, 1]; NaN with fewer than two frames
     */
    public static double of(List<Judgement> frames, boolean colourNamed) {
        double sum = 0;
        int counted = 0;
        for (Attribute a : attributes(colourNamed)) {
            int pairs = 0;
            int same = 0;
            for (int i = 0; i < frames.size(); i++) {
                for (int j = i + 1; j < frames.size(); j++) {
                    if (shows(frames.get(i), a) && shows(frames.get(j), a)) {
                        pairs++;
                        same += frames.get(i).get(a).value() == frames.get(j).get(a).value() ? 1 : 0;
                    }
                }
            }
            if (pairs > 0) {
                sum += (double) same / pairs;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Whether the judged picture shows the attribute at all. */
    private static boolean shows(Judgement j, Attribute a) {
        return switch (a) {
            case ACCESSORY_COLOUR -> j.get(Attribute.ACCESSORY).value() != Accessory.NONE;
            case EYE_COLOUR -> j.get(Attribute.POSE).value() != Pose.SLEEPING;
            default -> true;
        };
    }
}
