package dev.inkwell.world;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A scene, a caption of it and its rendering: what text-conditioned training draws. */
public record CaptionedSample(Scene scene, Caption caption, BufferedImage image) {

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
            BufferedImage image = renderer.render(scene, random.nextLong());
            out.add(new CaptionedSample(scene, captioner.caption(scene), image));
        }
        return out;
    }

    /** The images of {@code samples}, in order. */
    public static BufferedImage[] images(List<CaptionedSample> samples) {
        return samples.stream().map(CaptionedSample::image).toArray(BufferedImage[]::new);
    }
}
