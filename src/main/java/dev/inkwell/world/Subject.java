package dev.inkwell.world;

import dev.inkwell.world.Anatomy.Ears;
import dev.inkwell.world.Anatomy.Legs;
import dev.inkwell.world.Anatomy.Muzzle;
import dev.inkwell.world.Anatomy.Tail;

/** What the picture shows; each subject is one parameterisation of a shared body plan. */
public enum Subject {
    FOX(new Anatomy(0.42, 0.55, 0.2, 1.0, false, false, false, Ears.POINTED, Tail.BUSHY, Muzzle.POINTED, Legs.PAWS)),
    CAT(new Anatomy(0.38, 0.55, 0.19, 1.0, false, false, false, Ears.POINTED, Tail.THIN, Muzzle.WHISKERS, Legs.PAWS)),
    RABBIT(new Anatomy(0.42, 0.48, 0.18, 1.0, false, false, false, Ears.LONG, Tail.PUFF, Muzzle.NOSE, Legs.PAWS)),
    BIRD(new Anatomy(0.42, 0.5, 0.19, 1.0, false, false, true, Ears.NONE, Tail.FAN, Muzzle.BEAK, Legs.STICKS)),
    FISH(new Anatomy(0.78, 0.42, 0.19, 1.0, false, true, false, Ears.NONE, Tail.FIN, Muzzle.NONE, Legs.NONE)),
    FROG(new Anatomy(0.6, 0.42, 0.2, 1.5, false, false, false, Ears.BULGES, Tail.NONE, Muzzle.MOUTH, Legs.PAWS)),
    BEAR(new Anatomy(0.56, 0.58, 0.22, 1.0, false, false, false, Ears.ROUND, Tail.STUB, Muzzle.ROUND, Legs.PAWS)),
    ROBOT(new Anatomy(0.46, 0.48, 0.2, 1.1, true, false, false, Ears.ANTENNA, Tail.NONE, Muzzle.MOUTH, Legs.PAWS));

    private final Anatomy anatomy;

    Subject(Anatomy anatomy) {
        this.anatomy = anatomy;
    }

    Anatomy anatomy() {
        return anatomy;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
