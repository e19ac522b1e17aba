package dev.inkwell.world;

/** Posture of the subject. */
public enum Pose {
    SITTING, JUMPING, SLEEPING;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
