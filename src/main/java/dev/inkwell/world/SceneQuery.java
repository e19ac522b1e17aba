package dev.inkwell.world;

/**
 * Caption-visible attributes to hold fixed while sampling; a null field is free. Identity attributes
 * are always free, which is what "a red fox" means for a model trained on this world.
 */
public record SceneQuery(Subject subject, Colour colour, Accessory accessory, Setting setting, Pose pose, Size size) {

    public static final SceneQuery ANY = new SceneQuery(null, null, null, null, null, null);

    public SceneQuery withSubject(Subject s) {
        return new SceneQuery(s, colour, accessory, setting, pose, size);
    }

    public SceneQuery withColour(Colour c) {
        return new SceneQuery(subject, c, accessory, setting, pose, size);
    }

    public SceneQuery withAccessory(Accessory a) {
        return new SceneQuery(subject, colour, a, setting, pose, size);
    }

    public SceneQuery withSetting(Setting s) {
        return new SceneQuery(subject, colour, accessory, s, pose, size);
    }

    public SceneQuery withPose(Pose p) {
        return new SceneQuery(subject, colour, accessory, setting, p, size);
    }

    public SceneQuery withSize(Size s) {
        return new SceneQuery(subject, colour, accessory, setting, pose, s);
    }
}
