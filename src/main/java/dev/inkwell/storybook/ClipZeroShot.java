package dev.inkwell.storybook;

import dev.inkwell.clip.Clip;
import dev.inkwell.image.Images;
import dev.inkwell.judge.Attribute;
import dev.inkwell.nn.Ops;
import dev.inkwell.tensor.Torch;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.world.Colour;
import dev.inkwell.world.Sample;
import dev.inkwell.world.Scene;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Subject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * How well a storybook CLIP ties text to pictures, as CLIP's zero-shot test: for each held-out
 * rendered scene, one prompt per value of an attribute (the rest of the prompt from the scene), and
 * the attribute counts as read when the scene's own value scores highest.
 */
public final class ClipZeroShot {
    private ClipZeroShot() {}

    /** Zero-shot accuracy for subject, colour and setting on {@code n} scenes drawn from {@code seed}. */
    public static Map<Attribute, Double> accuracy(Clip clip, ClipTokenizer tokenizer, int n, long seed) {
        List<Sample> samples = Sample.draw(seed, n);
        Map<Attribute, Double> out = new EnumMap<>(Attribute.class);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            List<Tensor> parts = new ArrayList<>();
            for (int start = 0; start < n; start += 128) {
                parts.add(clip.imageEmbeds(Images.toTensor(Sample.images(samples.subList(start, Math.min(n, start + 128))))));
            }
            float[] images = Torch.toFloats(Ops.cat(0, parts.toArray(Tensor[]::new)));
            out.put(Attribute.SUBJECT, score(clip, tokenizer, samples, images, Subject.values(),
                    (scene, subject) -> "a photo of a " + scene.colour().word() + " " + subject.word(), Scene::subject));
            out.put(Attribute.COLOUR, score(clip, tokenizer, samples, images, Colour.values(),
                    (scene, colour) -> "a photo of a " + colour.word() + " " + scene.subject().word(), Scene::colour));
            out.put(Attribute.SETTING, score(clip, tokenizer, samples, images, Setting.values(),
                    (scene, setting) -> "a " + scene.subject().word() + " " + setting.phrases().get(0), Scene::setting));
        }
        return out;
    }

    private static <T extends Enum<T>> double score(Clip clip, ClipTokenizer tokenizer, List<Sample> samples,
            float[] images, T[] values, BiFunction<Scene, T, String> prompt, Function<Scene, T> truth) {
        int width = images.length / samples.size();
        int right = 0;
        Map<String, float[]> cache = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Scene scene = samples.get(i).scene();
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (T value : values) {
                float[] text = cache.computeIfAbsent(prompt.apply(scene, value), p -> embed(clip, tokenizer, p));
                double s = 0;
                for (int k = 0; k < width; k++) {
                    s += text[k] * images[i * width + k];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = value.ordinal();
                }
            }
            right += best == truth.apply(scene).ordinal() ? 1 : 0;
        }
        return (double) right / samples.size();
    }

    private static float[] embed(Clip clip, ClipTokenizer tokenizer, String prompt) {
        return Torch.toFloats(clip.textEmbeds(tokenizer.encodeForModel(List.of(prompt))));
    }
}
