package dev.inkwell.world;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A scene, a caption of it and its rendering (with the seed it was rendered with): what
 * text-conditioned training draws.
 */
public record CaptionedSample(Scene scene, Caption caption, BufferedImage image, long renderSeed) {

    /**
     * {@code count} samples for one training step: a scene sampler and a captioner seeded from the
     * next two values of {@code random}, then one render seed per scene from it.
     */
    public static List<CaptionedSample> draw(SplittableRandom random, int count) {
        SceneSampler sampler = new SceneSampler(random.nextLong());
        Captioner captioner = new Captioner(random.nextLong());
        Renderer renderer = new Renderer();
        List<CaptionedSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Scene scene = sampler.next();
            long renderSeed = random.nextLong();
            out.add(new CaptionedSample(scene, captioner.caption(scene), renderer.render(scene, renderSeed), renderSeed));
        }
        return out;
    }

    /**
     * Where the subject is drawn (with what it wears), on a {@code cells x cells} grid over the image:
     * 1 in each cell with a pixel of its layer ({@link Renderer#subjectMask}), else 0.
     */
    public float[] subjectCells(int cells) {
        boolean[] mask = new Renderer(image.getWidth()).subjectMask(scene, renderSeed);
        return cells(cells, (x, y) -> mask[y * image.getWidth() + x]);
    }

    /**
     * Where the accessory the caption names is drawn, on a {@code cells x cells} grid over the image:
     * 1 in each cell with a pixel that the accessory changes (the scene rendered without it, from the
     * same seed, differs there), else 0; all 0 when the caption names no accessory.
     */
    public float[] namedAccessoryCells(int cells) {
        if (!caption.namedAttributes().contains(Caption.ACCESSORY)) {
            return new float[cells * cells];
        }
        BufferedImage bare = new Renderer(image.getWidth()).render(scene.withAccessory(Accessory.NONE), renderSeed);
        return cells(cells, (x, y) -> image.getRGB(x, y) != bare.getRGB(x, y));
    }

    private interface PixelTest {
        boolean marked(int x, int y);
    }

    /** 1 in each cell of a {@code cells x cells} grid over the image that holds a marked pixel, else 0. */
    private float[] cells(int cells, PixelTest test) {
        float[] out = new float[cells * cells];
        int w = image.getWidth();
        int h = image.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (test.marked(x, y)) {
                    out[(y * cells / h) * cells + x * cells / w] = 1;
                }
            }
        }
        return out;
    }

    /** The images of {@code samples}, in order. */
    public static BufferedImage[] images(List<CaptionedSample> samples) {
        return samples.stream().map(CaptionedSample::image).toArray(BufferedImage[]::new);
    }
}
