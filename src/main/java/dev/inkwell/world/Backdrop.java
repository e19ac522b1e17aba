package dev.inkwell.world;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/** Paints a setting's background; the random source only jitters details such as star or tree positions. */
final class Backdrop {

    /** Pixel row the subject stands on. */
    static final double GROUND_Y = 58;

    private Backdrop() {}

    static void paint(Graphics2D g, Setting setting, int size, SplittableRandom rnd) {
        switch (setting) {
            case SNOW -> {
                sky(g, size, new Color(200, 220, 240), new Color(235, 242, 250));
                ground(g, size, 44, new Color(250, 250, 252));
                scatter(g, size, rnd, 30, 0, size, 1.6, Color.WHITE);
            }
            case FOREST -> {
                sky(g, size, new Color(150, 200, 150), new Color(110, 165, 100));
                for (int i = 0; i < 5; i++) {
                    double x = i * size / 4.0 + rnd.nextDouble(-5, 5);
                    g.setColor(new Color(100, 65, 30));
                    g.fill(new Rectangle2D.Double(x - 2, 30, 4, 20));
                    g.setColor(new Color(20, 90 + rnd.nextInt(30), 35));
                    g.fill(triangle(x, 6 + rnd.nextDouble(6), 11, 32));
                }
                ground(g, size, 48, new Color(60, 120, 45));
            }
            case BEACH -> {
                sky(g, size, new Color(120, 190, 245), new Color(190, 225, 250));
                g.setColor(new Color(30, 120, 200));
                g.fill(new Rectangle2D.Double(0, 30, size, 14));
                g.setColor(new Color(240, 250, 255));
                g.fill(new Rectangle2D.Double(0, 42 + rnd.nextDouble(2), size, 1.2));
                ground(g, size, 44, new Color(238, 214, 160));
            }
            case DESERT -> {
                sky(g, size, new Color(250, 200, 120), new Color(250, 230, 170));
                g.setColor(new Color(255, 235, 80));
                g.fill(new Ellipse2D.Double(6 + rnd.nextDouble(44), 4, 10, 10));
                g.setColor(new Color(215, 160, 80));
                g.fill(new Ellipse2D.Double(-20 + rnd.nextDouble(10), 34, 60, 30));
                g.setColor(new Color(225, 175, 95));
                g.fill(new Ellipse2D.Double(20 + rnd.nextDouble(10), 38, 70, 30));
                ground(g, size, 50, new Color(230, 185, 105));
            }
            case NIGHT_SKY -> {
                sky(g, size, new Color(8, 12, 45), new Color(25, 35, 90));
                scatter(g, size, rnd, 25, 0, 40, 1.1, new Color(255, 255, 220));
                double mx = 8 + rnd.nextDouble(46);
                g.setColor(new Color(250, 245, 200));
                g.fill(new Ellipse2D.Double(mx, 4, 10, 10));
                g.setColor(new Color(8, 12, 45));
                g.fill(new Ellipse2D.Double(mx + 3, 2.5, 10, 10));
                ground(g, size, 50, new Color(20, 30, 55));
            }
            case CITY -> {
                sky(g, size, new Color(160, 175, 200), new Color(200, 205, 215));
                double x = -rnd.nextDouble(6);
                while (x < size) {
                    double w = 8 + rnd.nextDouble(6);
                    double top = 8 + rnd.nextDouble(22);
                    int shade = 70 + rnd.nextInt(50);
                    g.setColor(new Color(shade, shade, shade + 15));
                    g.fill(new Rectangle2D.Double(x, top, w - 1, size - top));
                    g.setColor(new Color(250, 225, 120));
                    for (double wy = top + 3; wy < 46; wy += 5) {
                        g.fill(new Rectangle2D.Double(x + 2, wy, 1.5, 2));
                        g.fill(new Rectangle2D.Double(x + w - 4.5, wy, 1.5, 2));
                    }
                    x += w;
                }
                ground(g, size, 50, new Color(85, 85, 90));
            }
            case MEADOW -> {
                sky(g, size, new Color(130, 195, 245), new Color(200, 230, 250));
                ground(g, size, 36, new Color(110, 190, 70));
                Color[] petals = {new Color(255, 255, 255), new Color(255, 90, 120), new Color(250, 230, 60)};
                for (int i = 0; i < 16; i++) {
                    g.setColor(petals[rnd.nextInt(petals.length)]);
                    g.fill(new Ellipse2D.Double(rnd.nextDouble(size), 38 + rnd.nextDouble(24), 2.2, 2.2));
                }
            }
            case UNDERWATER -> {
                sky(g, size, new Color(20, 110, 170), new Color(10, 60, 120));
                ground(g, size, 54, new Color(200, 185, 130));
                g.setColor(new Color(190, 230, 255));
                for (int i = 0; i < 10; i++) {
                    double r = 1.5 + rnd.nextDouble(2);
                    g.draw(new Ellipse2D.Double(rnd.nextDouble(size), rnd.nextDouble(50), r, r));
                }
            }
        }
    }

    private static void sky(Graphics2D g, int size, Color top, Color bottom) {
        g.setPaint(new GradientPaint(0, 0, top, 0, size, bottom));
        g.fill(new Rectangle2D.Double(0, 0, size, size));
    }

    private static void ground(Graphics2D g, int size, double top, Color colour) {
        g.setPaint(colour);
        g.fill(new Rectangle2D.Double(0, top, size, size - top));
    }

    private static void scatter(Graphics2D g, int size, SplittableRandom rnd, int count, double y0, double y1,
            double dot, Color colour) {
        g.setColor(colour);
        for (int i = 0; i < count; i++) {
            g.fill(new Ellipse2D.Double(rnd.nextDouble(size), y0 + rnd.nextDouble(y1 - y0), dot, dot));
        }
    }

    private static Path2D triangle(double cx, double top, double halfWidth, double bottom) {
        Path2D p = new Path2D.Double();
        p.moveTo(cx, top);
        p.lineTo(cx + halfWidth, bottom);
        p.lineTo(cx - halfWidth, bottom);
        p.closePath();
        return p;
    }
}
