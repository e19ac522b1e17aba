package dev.inkwell.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * Draws a subject in figure units: origin on the ground under the body, y down, facing +x, height about
 * one unit. Every subject goes through the same code; {@link Anatomy} chooses shapes and sizes, the pose
 * chooses where body, head, tail and legs go.
 */
final class Figure {

    private static final double[][] SPOTS = {{-0.25, -0.2}, {0.15, -0.3}, {0.25, 0.1}, {-0.1, 0.22}, {0.0, -0.05}, {-0.3, 0.12}};
    private static final Color BEAK = new Color(240, 170, 40);
    private static final Color INK = new Color(15, 15, 15);

    private final Graphics2D g;
    private final Scene scene;
    private final Anatomy a;
    private final double pixel;
    private final Color body;
    private final Color outline;

    private Figure(Graphics2D g, Scene scene, double pixel) {
        this.g = g;
        this.scene = scene;
        this.a = scene.subject().anatomy();
        this.pixel = pixel;
        this.body = scene.colour().awt();
        this.outline = scene.colour() == Colour.BLACK ? new Color(120, 120, 120) : mix(body, Color.BLACK, 0.6);
    }

    /** Paints the scene's subject; {@code pixel} is the size of one device pixel in figure units. */
    static void paint(Graphics2D g, Scene scene, double pixel) {
        new Figure(g, scene, pixel).paint();
    }

    /** Where the pose puts the parts, before the jump transform. */
    private record Layout(Rectangle2D body, Point2D head, Point2D tail, double tailAngle) {}

    private void paint() {
        double r = a.headRadius() * scene.proportions().headScale();
        Layout layout = layout(r);
        AffineTransform saved = g.getTransform();
        if (scene.pose() == Pose.JUMPING) {
            double cy = layout.body().getCenterY();
            g.translate(0, -0.12);
            g.rotate(a.horizontal() ? -0.45 : 0.3, 0, cy);
        }
        tail(layout);
        if (scene.pose() == Pose.JUMPING) {
            limbs(layout.body());
        }
        Shape bodyShape = a.boxy()
                ? new RoundRectangle2D.Double(layout.body().getX(), layout.body().getY(), layout.body().getWidth(),
                        layout.body().getHeight(), 0.08, 0.08)
                : new Ellipse2D.Double(layout.body().getX(), layout.body().getY(), layout.body().getWidth(),
                        layout.body().getHeight());
        part(bodyShape, body);
        if (a.wing()) {
            wing(layout.body());
        }
        pattern(bodyShape, layout.body());
        if (scene.pose() == Pose.SITTING) {
            feet();
        }
        if (scene.accessory() == Accessory.SCARF) {
            scarf(layout, r);
        }
        g.translate(layout.head().getX(), layout.head().getY());
        head(r);
        g.setTransform(saved);
    }

    /** Heads sit forward of the body's middle (a sleeper's half a head radius past it), so the pattern shows. */
    private Layout layout(double r) {
        double bw = a.bodyWidth() * scene.proportions().bodyWidthScale();
        double bh = a.bodyHeight();
        if (a.horizontal()) {
            double lift = scene.pose() == Pose.SLEEPING ? 0 : 0.08;
            Rectangle2D b = new Rectangle2D.Double(-bw / 2, -bh - lift, bw, bh);
            return new Layout(b, new Point2D.Double(bw * 0.38, b.getCenterY()), new Point2D.Double(-bw / 2 + 0.03, b.getCenterY()), Math.PI);
        }
        if (scene.pose() == Pose.SLEEPING) {
            double w = Math.max(bw, bh) * 1.1;
            double h = Math.min(bw, bh) * 0.85;
            Rectangle2D b = new Rectangle2D.Double(-w / 2 - 0.08, -h, w, h);
            return new Layout(b, new Point2D.Double(b.getMaxX() + r * 0.5, -r * 0.95),
                    new Point2D.Double(b.getMinX() + 0.03, -h * 0.3), Math.PI);
        }
        Rectangle2D b = new Rectangle2D.Double(-bw / 2, -bh, bw, bh);
        return new Layout(b, new Point2D.Double(0.04, -bh - r * 0.55),
                new Point2D.Double(-bw * 0.4, -bh * 0.25), Math.PI + 0.5);
    }

    private void tail(Layout layout) {
        double len = scene.appendages().lengthScale();
        AffineTransform saved = g.getTransform();
        g.translate(layout.tail().getX(), layout.tail().getY());
        g.rotate(layout.tailAngle());
        switch (a.tail()) {
            case BUSHY -> {
                part(new Ellipse2D.Double(-0.04, -0.09, 0.44 * len, 0.18), body);
                part(new Ellipse2D.Double(0.3 * len, -0.06, 0.1 * len, 0.12), tint(body));
            }
            case THIN -> {
                QuadCurve2D curve = new QuadCurve2D.Double(0, 0, 0.3 * len, 0.05, 0.32 * len, -0.28 * len);
                g.setColor(outline);
                g.setStroke(new BasicStroke((float) (0.055 + 2 * pixel), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(curve);
                g.setColor(body);
                g.setStroke(new BasicStroke((float) 0.055, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(curve);
            }
            case PUFF -> part(new Ellipse2D.Double(-0.06 * len, -0.07 * len, 0.14 * len, 0.14 * len), tint(body));
            case FAN -> part(polygon(0, -0.04, 0.26 * len, -0.11, 0.26 * len, 0.11, 0, 0.04), body);
            case FIN -> part(polygon(-0.05, 0, 0.22 * len, -0.17, 0.22 * len, 0.17), body);
            case STUB -> part(new Ellipse2D.Double(-0.06 * len, -0.06 * len, 0.12 * len, 0.12 * len), body);
            case NONE -> { }
        }
        g.setTransform(saved);
    }

    /** Splayed legs of a jump, drawn behind the body. */
    private void limbs(Rectangle2D b) {
        if (a.legs() == Anatomy.Legs.NONE) {
            return;
        }
        double width = a.legs() == Anatomy.Legs.STICKS ? Math.max(0.025, 1.2 * pixel) : 0.08;
        double y = b.getMaxY() - 0.06;
        double[][] legs = {{0.12, 0.34, 0.1}, {0.04, 0.18, 0.14}, {-0.12, -0.36, 0.08}, {-0.04, -0.2, 0.14}};
        for (double[] leg : legs) {
            Line2D line = new Line2D.Double(leg[0], y, leg[1], y + leg[2] + 0.06);
            g.setColor(outline);
            g.setStroke(new BasicStroke((float) (width + 2 * pixel), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
            g.setColor(a.legs() == Anatomy.Legs.STICKS ? BEAK : body);
            g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
        }
    }

    private void feet() {
        for (int side = -1; side <= 1; side += 2) {
            if (a.legs() == Anatomy.Legs.PAWS) {
                double x = side * 0.15 + 0.03;
                part(a.boxy() ? new Rectangle2D.Double(x - 0.08, -0.08, 0.16, 0.08)
                        : new Ellipse2D.Double(x - 0.085, -0.08, 0.17, 0.08), body);
            } else if (a.legs() == Anatomy.Legs.STICKS) {
                part(new Rectangle2D.Double(side * 0.07 - 0.015, -0.06, 0.03, 0.06), BEAK);
            }
        }
    }

    private void pattern(Shape bodyShape, Rectangle2D b) {
        Shape clip = g.getClip();
        g.clip(bodyShape);
        double w = b.getWidth();
        double h = b.getHeight();
        switch (scene.pattern()) {
            case SPOTS -> {
                g.setColor(shade(body));
                // Never under three and a half device pixels, nor stripes under two and a half: on a
                // small subject thinner ones blur into the body and spots into stripes.
                double d = Math.max(0.11, 3.5 * pixel);
                for (double[] s : SPOTS) {
                    g.fill(new Ellipse2D.Double(b.getCenterX() + s[0] * w - d / 2, b.getCenterY() + s[1] * h - d / 2, d, d));
                }
            }
            case STRIPES -> {
                g.setColor(shade(body));
                double stripe = Math.max(0.06, 2.5 * pixel);
                for (double u = -0.3; u < 0.4; u += 0.2) {
                    g.fill(new Rectangle2D.Double(b.getCenterX() + u * w - stripe / 2, b.getY(), stripe, h));
                }
            }
            case PATCH -> {
                // On the rear of a horizontal body (the head covers its front), low on an upright one
                // (the scarf and the wing cover its top): a patch must show whatever else is worn.
                g.setColor(tint(body));
                g.fill(a.horizontal()
                        ? new Ellipse2D.Double(b.getCenterX() - 0.42 * w, b.getCenterY() - 0.15 * h, 0.45 * w, 0.55 * h)
                        : new Ellipse2D.Double(b.getCenterX() - 0.4 * w, b.getCenterY() + 0.02 * h, 0.55 * w, 0.45 * h));
            }
            case PLAIN -> { }
        }
        g.setClip(clip);
        g.setColor(outline);
        g.setStroke(new BasicStroke((float) pixel));
        g.draw(bodyShape);
    }

    /** In the body colour with its outline, under the pattern: a wing in the pattern's shade would read as one. */
    private void wing(Rectangle2D b) {
        AffineTransform saved = g.getTransform();
        g.translate(b.getCenterX() - 0.03, b.getCenterY() - 0.02);
        g.rotate(scene.pose() == Pose.JUMPING ? -1.0 : -0.3);
        part(new Ellipse2D.Double(-0.25 * b.getWidth(), -0.2 * b.getHeight(), 0.6 * b.getWidth(), 0.4 * b.getHeight()),
                body);
        g.setTransform(saved);
    }

    private void scarf(Layout layout, double r) {
        Point2D head = layout.head();
        double dx = layout.body().getCenterX() - head.getX();
        double dy = layout.body().getCenterY() - head.getY();
        double angle = Math.atan2(dy, dx);
        AffineTransform saved = g.getTransform();
        g.translate(head.getX() + Math.cos(angle) * r * 0.95, head.getY() + Math.sin(angle) * r * 0.95);
        g.rotate(angle);
        Color c = scene.accessoryColour().awt();
        // The hanging end falls from the band's outer edge, off the body where it can (a pattern stays
        // seen), and is at least 5 x 2.5 device pixels, so a small subject's scarf shows its colour.
        double length = Math.max(0.8 * r, 5 * pixel);
        double width = Math.max(0.3 * r, 2.5 * pixel);
        part(new Rectangle2D.Double(0.02, -1.15 * r, length, width), c);
        part(new RoundRectangle2D.Double(-0.3 * r, -1.15 * r, 0.6 * r, 2.3 * r, 0.1 * r, 0.1 * r), c);
        g.setTransform(saved);
    }

    /**
     * Head, ears, face and head-worn accessories, with the head centre at the origin. Pointed and long
     * ears grow from behind the head; round ears, eye bulges and antennas sit in front of head and hat,
     * so a hat never hides how long they are.
     */
    private void head(double r) {
        double hs = a.headStretch();
        double len = scene.appendages().lengthScale();
        double[][] eyes = a.horizontal() ? new double[][] {{0.35 * r, -0.2 * r}}
                : new double[][] {{-0.38 * r * hs, -0.08 * r}, {0.38 * r * hs, -0.08 * r}};
        for (int side = -1; side <= 1; side += 2) {
            switch (a.ears()) {
                case POINTED -> part(polygon(side * 0.2 * r, -0.7 * r, side * 0.85 * r, -0.45 * r,
                        side * 0.62 * r, -0.75 * r - 0.8 * r * len), body);
                case LONG -> part(new Ellipse2D.Double(side * 0.35 * r - 0.24 * r, -0.6 * r - 1.7 * r * len,
                        0.48 * r, 1.7 * r * len + 0.1 * r), body);
                case BULGES -> eyes[(side + 1) / 2] = new double[] {side * 0.5 * r * hs, -0.5 * r - 0.35 * r * len};
                case ROUND, ANTENNA, NONE -> { }
            }
        }
        part(a.boxy() ? new RoundRectangle2D.Double(-r * hs, -r, 2 * r * hs, 2 * r, 0.3 * r, 0.3 * r)
                : new Ellipse2D.Double(-r * hs, -r, 2 * r * hs, 2 * r), body);
        muzzle(r, hs);
        Color accessory = scene.accessoryColour().awt();
        if (scene.accessory() == Accessory.HAT) {
            double brim = Math.max(0.8, hs) * r;
            part(new Rectangle2D.Double(-0.7 * r, -0.8 * r - 0.9 * r, 1.4 * r, 0.95 * r), accessory);
            part(new Rectangle2D.Double(-brim, -0.88 * r, 2 * brim, 0.2 * r), accessory);
        }
        frontEars(r, len, eyes);
        double eyeRadius = 0.3 * r;
        for (double[] e : eyes) {
            eye(e[0], e[1], eyeRadius);
        }
        if (scene.accessory() == Accessory.GLASSES) {
            g.setColor(accessory);
            g.setStroke(new BasicStroke((float) Math.max(0.24 * r, 1.5 * pixel)));
            double lens = eyeRadius * 1.6;
            for (double[] e : eyes) {
                g.draw(new Ellipse2D.Double(e[0] - lens, e[1] - lens, 2 * lens, 2 * lens));
            }
            double[] last = eyes[eyes.length - 1];
            double[] first = eyes[0];
            g.draw(eyes.length > 1 ? new Line2D.Double(first[0] + lens, first[1], last[0] - lens, last[1])
                    : new Line2D.Double(last[0] - lens, last[1], -r, last[1]));
        }
    }

    /** Round ears, eye bulges (under the {@code eyes} they carry) and a pair of antennas, sized by {@code len} itself. */
    private void frontEars(double r, double len, double[][] eyes) {
        switch (a.ears()) {
            case ROUND -> {
                double er = 0.3 * r * len;
                for (int side = -1; side <= 1; side += 2) {
                    part(new Ellipse2D.Double(side * 0.72 * r - er, -0.72 * r - er, 2 * er, 2 * er), body);
                }
            }
            case BULGES -> {
                double br = 0.22 * r + 0.1 * r * len;
                for (double[] e : eyes) {
                    part(new Ellipse2D.Double(e[0] - br, e[1] - br, 2 * br, 2 * br), body);
                }
            }
            case ANTENNA -> {
                double top = -r - 1.1 * r * len;
                for (int side = -1; side <= 1; side += 2) {
                    part(new Rectangle2D.Double(side * 0.45 * r - 0.07 * r, top, 0.14 * r, -top - r), outline);
                    part(new Ellipse2D.Double(side * 0.45 * r - 0.2 * r, top - 0.35 * r, 0.4 * r, 0.4 * r), body);
                }
            }
            case POINTED, LONG, NONE -> { }
        }
    }

    private void muzzle(double r, double hs) {
        switch (a.muzzle()) {
            case POINTED -> {
                part(polygon(-0.5 * r, 0.05 * r, 0.5 * r, 0.05 * r, 0, 0.95 * r), tint(body));
                dot(0, 0.85 * r, 0.13 * r, INK);
            }
            case WHISKERS -> {
                dot(0, 0.3 * r, 0.11 * r, INK);
                g.setColor(INK);
                g.setStroke(new BasicStroke((float) pixel * 0.8f));
                for (int side = -1; side <= 1; side += 2) {
                    g.draw(new Line2D.Double(side * 0.25 * r, 0.4 * r, side * 1.3 * r, 0.25 * r));
                    g.draw(new Line2D.Double(side * 0.25 * r, 0.45 * r, side * 1.3 * r, 0.6 * r));
                }
            }
            case NOSE -> dot(0, 0.3 * r, 0.12 * r, new Color(230, 110, 140));
            case BEAK -> part(polygon(0.55 * r * hs, -0.2 * r, 0.55 * r * hs, 0.3 * r, 1.5 * r * hs, 0.05 * r), BEAK);
            case ROUND -> {
                part(new Ellipse2D.Double(-0.42 * r, 0.15 * r, 0.84 * r, 0.6 * r), tint(body));
                dot(0, 0.3 * r, 0.14 * r, INK);
            }
            case MOUTH -> {
                g.setColor(INK);
                g.setStroke(new BasicStroke((float) pixel));
                g.draw(new QuadCurve2D.Double(-0.45 * r * hs, 0.4 * r, 0, 0.65 * r, 0.45 * r * hs, 0.4 * r));
            }
            case NONE -> { }
        }
    }

    private void eye(double x, double y, double er) {
        if (scene.pose() == Pose.SLEEPING) {
            g.setColor(INK);
            g.setStroke(new BasicStroke((float) Math.max(0.35 * er, pixel)));
            g.draw(new QuadCurve2D.Double(x - er, y, x, y + er, x + er, y));
            return;
        }
        part(new Ellipse2D.Double(x - er, y - er, 2 * er, 2 * er), scene.eyeColour().awt());
        dot(x + 0.3 * er, y - 0.3 * er, 0.35 * er, Color.WHITE);
    }

    private void dot(double x, double y, double radius, Color colour) {
        g.setColor(colour);
        g.fill(new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius));
    }

    /** Fills a shape and strokes it with the outline colour so it reads against any background. */
    private void part(Shape shape, Color fill) {
        g.setColor(fill);
        g.fill(shape);
        g.setColor(fill.equals(body) ? outline : mix(fill, Color.BLACK, 0.6));
        g.setStroke(new BasicStroke((float) pixel));
        g.draw(shape);
    }

    private static Path2D polygon(double... xy) {
        Path2D p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** Darker marking colour; lighter on black so markings stay visible. */
    private static Color shade(Color c) {
        return c.getRGB() == Colour.BLACK.awt().getRGB() ? mix(c, Color.WHITE, 0.4) : mix(c, Color.BLACK, 0.4);
    }

    /** Paler colour for bellies, muzzles and tail tips; darker on white. */
    private static Color tint(Color c) {
        return c.getRGB() == Colour.WHITE.awt().getRGB() ? mix(c, Color.BLACK, 0.2) : mix(c, Color.WHITE, 0.55);
    }

    private static Color mix(Color c, Color with, double t) {
        return new Color(
                (int) Math.round(c.getRed() * (1 - t) + with.getRed() * t),
                (int) Math.round(c.getGreen() * (1 - t) + with.getGreen() * t),
                (int) Math.round(c.getBlue() * (1 - t) + with.getBlue() * t));
    }
}
