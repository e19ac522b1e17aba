package dev.inkwell.world;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A scene and its rendering: training data and held-out data whose true attributes are known. */
public record Sample(Scene scene, BufferedImage image) {

    /**
     * {@code count} scenes from {@code SceneSampler(seed)}, each rendered with the next seed of a
     * second stream derived from {@code seed}, so a seed names one fixed set of images.
     */
    public static List<Sample> draw(long seed, int count) {
        SceneSampler sampler = new SceneSampler(seed);
        SplittableRandom renderSeeds = new SplittableRandom(~seed);
        Renderer renderer = new Renderer();
        List<Sample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Scene scene = sampler.next();
            out.add(new Sample(scene, renderer.render(scene, renderSeeds.nextLong())));
        }
        return out;
    }

    /** The images of {@code samples}, in order. */
    public static BufferedImage[] images(List<Sample> samples) {
        return samples.stream().map(Sample::image).toArray(BufferedImage[]::new);
    }
}
