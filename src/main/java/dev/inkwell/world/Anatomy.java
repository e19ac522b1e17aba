package dev.inkwell.world;

/**
 * Body plan of a subject in figure units (figure height about 1): body ellipse (or box), head radius and
 * horizontal stretch, and which ear, tail, muzzle and leg shapes to draw. One drawing routine reads
 * these, so subjects differ by data rather than by copied code.
 */
record Anatomy(
        double bodyWidth,
        double bodyHeight,
        double headRadius,
        double headStretch,
        boolean boxy,
        boolean horizontal,
        boolean wing,
        Ears ears,
        Tail tail,
        Muzzle muzzle,
        Legs legs) {

    enum Ears { NONE, POINTED, LONG, ROUND, ANTENNA, BULGES }

    enum Tail { NONE, BUSHY, THIN, PUFF, FAN, FIN, STUB }

    enum Muzzle { NONE, POINTED, WHISKERS, NOSE, BEAK, ROUND, MOUTH }

    enum Legs { NONE, PAWS, STICKS }
}
