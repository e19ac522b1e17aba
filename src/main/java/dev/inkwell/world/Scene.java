package dev.inkwell.world;

import java.util.Objects;

/**
 * One picture's ground truth. The first six attributes may be named by captions; pattern, accessory
 * colour, eye colour, proportions and appendages are identity attributes that captions never name.
 */
public record Scene(
        Subject subject,
        Colour colour,
        Accessory accessory,
        Setting setting,
        Pose pose,
        Size size,
        Pattern pattern,
        Colour accessoryColour,
        EyeColour eyeColour,
        Proportions proportions,
        Appendages appendages) {

    public Scene {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(accessory, "accessory");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(pose, "pose");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(accessoryColour, "accessoryColour");
        Objects.requireNonNull(eyeColour, "eyeColour");
        Objects.requireNonNull(proportions, "proportions");
        Objects.requireNonNull(appendages, "appendages");
    }

    /** This scene with {@code other} worn instead of its accessory. */
    public Scene withAccessory(Accessory other) {
        return new Scene(subject, colour, other, setting, pose, size, pattern, accessoryColour, eyeColour, proportions,
                appendages);
    }
}
