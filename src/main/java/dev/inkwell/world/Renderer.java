package dev.inkwell.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Renders scenes with Java2D. The subject is drawn on its own transparent layer, so the same pixels
 * give both the picture and the subject mask used by tests and evaluation. A render seed jitters
 * position, facing and background details; scene plus seed fix every pixel.
 */
public final class Renderer {

    public static final int DEFAULT_SIZE = 64;
    private static final double DESIGN_SIZE = 64;

    private final int size;

    public Renderer() {
        this(DEFAULT_SIZE);
    }

    public Renderer(int size) {
        if (size < 16) {
            throw new IllegalArgumentException("size must be at least 16: " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The scene as a size x size TYPE_INT_RGB image. */
    public BufferedImage render(Scene scene, long renderSeed) {
        Placement placement = place(scene, renderSeed);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        Backdrop.paint(g, scene.setting(), (int) DESIGN_SIZE, placement.backdropRandom());
        if (scene.pose() == Pose.JUMPING) {
            double w = scene.size().frameFraction() * DESIGN_SIZE * 0.5;
            g.setColor(new Color(0, 0, 0, 70));
            g.fill(new Ellipse2D.Double(placement.x() - w / 2, placement.groundY() - 2, w, 4));
        }
        g.drawImage(subjectLayer(scene, placement), 0, 0, null);
        g.dispose();
        return image;
    }

    /** Row-major size*size mask, true where the subject layer is at least half opaque. */
    public boolean[] subjectMask(Scene scene, long renderSeed) {
        BufferedImage layer = subjectLayer(scene, place(scene, renderSeed));
        boolean[] mask = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                mask[y * size + x] = (layer.getRGB(x, y) >>> 24) >= 128;
            }
        }
        return mask;
    }

    /** Seed-derived jitter, in design (64 pixel) coordinates. */
    private record Placement(double x, double groundY, boolean flipped, SplittableRandom backdropRandom) {}

    private static Placement place(Scene scene, long renderSeed) {
        SplittableRandom random = new SplittableRandom(renderSeed);
        double slack = scene.size() == Size.LARGE ? 2 : 12;
        double x = DESIGN_SIZE / 2 + random.nextDouble(-slack, slack);
        double groundY = Backdrop.GROUND_Y + random.nextDouble(-1.5, 1.5);
        return new Placement(x, groundY, random.nextBoolean(), random.split());
    }

    private BufferedImage subjectLayer(Scene scene, Placement placement) {
        BufferedImage layer = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = graphics(layer);
        double scale = scene.size().frameFraction() * DESIGN_SIZE;
        g.translate(placement.x(), placement.groundY());
        g.scale(placement.flipped() ? -scale : scale, scale);
        Figure.paint(g, scene, 1 / (scale * size / DESIGN_SIZE));
        g.dispose();
        return layer;
    }

    private Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / DESIGN_SIZE, size / DESIGN_SIZE);
        return g;
    }
}
