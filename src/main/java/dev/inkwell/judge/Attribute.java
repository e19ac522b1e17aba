package dev.inkwell.judge;

import dev.inkwell.world.Accessory;
import dev.inkwell.world.Appendages;
import dev.inkwell.world.Colour;
import dev.inkwell.world.EyeColour;
import dev.inkwell.world.Pattern;
import dev.inkwell.world.Pose;
import dev.inkwell.world.Proportions;
import dev.inkwell.world.Scene;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Size;
import dev.inkwell.world.Subject;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** Every scene attribute the judge predicts, one classifier head each, keyed in checkpoints by {@link #key}. */
public enum Attribute {
    SUBJECT("subject", Subject.values(), Scene::subject),
    COLOUR("colour", Colour.values(), Scene::colour),
    ACCESSORY("accessory", Accessory.values(), Scene::accessory),
    SETTING("setting", Setting.values(), Scene::setting),
    POSE("pose", Pose.values(), Scene::pose),
    SIZE("size", Size.values(), Scene::size),
    PATTERN("pattern", Pattern.values(), Scene::pattern),
    ACCESSORY_COLOUR("accessory_colour", Colour.values(), Scene::accessoryColour, s -> s.accessory() != Accessory.NONE),
    EYE_COLOUR("eye_colour", EyeColour.values(), Scene::eyeColour, s -> s.pose() != Pose.SLEEPING),
    PROPORTIONS("proportions", Proportions.values(), Scene::proportions),
    APPENDAGES("appendages", Appendages.values(), Scene::appendages);

    private final String key;
    private final List<Enum<?>> classValues;
    private final Function<Scene, Enum<?>> of;
    private final Predicate<Scene> visible;

    Attribute(String key, Enum<?>[] values, Function<Scene, Enum<?>> of) {
        this(key, values, of, scene -> true);
    }

    Attribute(String key, Enum<?>[] values, Function<Scene, Enum<?>> of, Predicate<Scene> visible) {
        this.key = key;
        this.classValues = List.of(values);
        this.of = of;
        this.visible = visible;
    }

    /**
     * Whether the picture of {@code scene} shows this attribute at all: closed eyes have no colour, a
     * missing accessory none either. Training and accuracy skip the scenes where it does not.
     */
    public boolean visible(Scene scene) {
        return visible.test(scene);
    }

    /** The head's name in {@code config.json} and in parameter keys ({@code heads.<key>.weight}). */
    public String key() {
        return key;
    }

    /** The classes in head-output order (the enum's ordinal order). */
    public List<Enum<?>> classValues() {
        return classValues;
    }

    public int classes() {
        return classValues.size();
    }

    /** The scene's value of this attribute. */
    public Enum<?> of(Scene scene) {
        return of.apply(scene);
    }
}
