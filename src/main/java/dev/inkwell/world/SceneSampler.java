package dev.inkwell.world;

import java.util.SplittableRandom;

/**
 * Draws scenes uniformly over every attribute, reproducibly from a seed. The accessory colour is drawn
 * from the colours other than the body colour so the accessory never vanishes into the body.
 */
public final class SceneSampler {

    private final SplittableRandom random;

    public SceneSampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public Scene next() {
        return next(SceneQuery.ANY);
    }

    /** A scene with the query's non-null attributes and everything else drawn uniformly. */
    public Scene next(SceneQuery query) {
        Subject subject = orPick(query.subject(), Subject.values());
        Colour colour = orPick(query.colour(), Colour.values());
        Accessory accessory = orPick(query.accessory(), Accessory.values());
        Setting setting = orPick(query.setting(), Setting.values());
        Pose pose = orPick(query.pose(), Pose.values());
        Size size = orPick(query.size(), Size.values());
        Pattern pattern = pick(Pattern.values());
        Colour[] colours = Colour.values();
        Colour accessoryColour = colours[(colour.ordinal() + 1 + random.nextInt(colours.length - 1)) % colours.length];
        return new Scene(subject, colour, accessory, setting, pose, size, pattern, accessoryColour, pick(EyeColour.values()),
                pick(Proportions.values()), pick(Appendages.values()));
    }

    private <T> T orPick(T fixed, T[] values) {
        T drawn = pick(values); // drawn even when fixed, so free attributes do not shift with the query
        return fixed != null ? fixed : drawn;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
