package dev.inkwell.metrics;

import dev.inkwell.clip.Clip;
import dev.inkwell.clip.ClipVisionConfig;
import dev.inkwell.image.Images;
import dev.inkwell.nn.Config;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.weights.SafeTensorsSource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * CLIP similarities: cosine of unit-length CLIP embeddings. CLIP-T compares an image with a text,
 * CLIP-I two images. Raw cosines, so about 0.2-0.35 for a matching text on OpenAI's CLIP; papers
 * that report CLIP-T near 0.9 rescale it in ways they do not publish, so compare only figures of
 * one model and one definition.
 */
public final class ClipScore implements AutoCloseable {
    /** OpenAI CLIP's image normalisation (per channel, on [0, 1] pixels). */
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final Clip clip;
    private final ClipTokenizer tokenizer;
    private final boolean openAiImages;

    private ClipScore(Clip clip, ClipTokenizer tokenizer, boolean openAiImages) {
        this.clip = clip;
        this.tokenizer = tokenizer;
        this.openAiImages = openAiImages;
    }

    /** The CLIP inside an Inkwell model folder (the storybook model's), which reads images in [-1, 1]. */
    public static ClipScore ofModel(Path modelFolder) {
        if (!Clip.existsIn(modelFolder)) {
            throw new IllegalArgumentException(modelFolder + " holds no CLIP model (clip/)");
        }
        return new ClipScore(Clip.load(modelFolder), ClipTokenizer.fromDirectory(modelFolder.resolve("tokenizer")), false);
    }

    /**
     * A transformers {@code CLIPModel} folder (config.json with text_config and vision_config,
     * model.safetensors, and the tokenizer's vocab.json and merges.txt), e.g.
     * openai/clip-vit-large-patch14; images get OpenAI's resize, centre crop and normalisation.
     */
    public static ClipScore ofTransformersFolder(Path folder) {
        Path weights = folder.resolve("model.safetensors");
        if (!Files.isRegularFile(folder.resolve("config.json")) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(folder + " is not a CLIPModel folder (config.json and model.safetensors)");
        }
        Config config = Config.read(folder.resolve("config.json"));
        Clip clip = new Clip(ClipTextConfig.from(config.child("text_config")), ClipVisionConfig.from(config.child("vision_config")),
                SafeTensorsSource.open(List.of(weights)));
        return new ClipScore(clip, ClipTokenizer.fromDirectory(folder), true);
    }

    /** Unit-length image embeddings {@code [N, P]}. */
    public Tensor images(List<BufferedImage> images) {
        try (NoGradGuard g = new NoGradGuard()) {
            int size = clip.vision().config().imageSize();
            BufferedImage[] prepared = images.stream().map(i -> openAiImages ? centreCrop(i, size) : Images.resize(i, size, size))
                    .toArray(BufferedImage[]::new);
            Tensor pixels = Images.toTensor(prepared);
            if (openAiImages) {
                // [-1, 1] -> [0, 1] -> (x - mean) / std
                Tensor unit = pixels.add(new org.bytedeco.pytorch.Scalar(1)).mul(new org.bytedeco.pytorch.Scalar(0.5));
                pixels = unit.sub(Torch.floats(MEAN, 1, 3, 1, 1)).div(Torch.floats(STD, 1, 3, 1, 1));
            }
            return clip.imageEmbeds(pixels).clone().retainReference();
        }
    }

    /** Unit-length text embeddings {@code [N, P]}. */
    public Tensor texts(List<String> texts) {
        try (NoGradGuard g = new NoGradGuard()) {
            return clip.textEmbeds(tokenizer.encodeForModel(texts)).clone().retainReference();
        }
    }

    /** CLIP-T of each image with its text. */
    public double[] textSimilarity(List<BufferedImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException(images.size() + " images for " + texts.size() + " texts");
        }
        try (PointerScope scope = new PointerScope()) {
            return rowDots(images(images), texts(texts));
        }
    }

    /** CLIP-I: the mean cosine over all pairs of {@code images} (NaN for fewer than two). */
    public double meanPairwiseSimilarity(List<BufferedImage> images) {
        if (images.size() < 2) {
            return Double.NaN;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor e = images(images);
            float[] gram = Torch.toFloats(e.matmul(e.t()));
            int n = images.size();
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    sum += gram[i * n + j];
                }
            }
            return sum / (n * (n - 1) / 2.0);
        }
    }

    /** CLIP-I against references: the mean cosine of each image with each reference. */
    public double meanSimilarity(List<BufferedImage> images, List<BufferedImage> references) {
        try (PointerScope scope = new PointerScope()) {
            return Torch.toFloats(images(images).matmul(images(references).t()).mean())[0];
        }
    }

    private static double[] rowDots(Tensor a, Tensor b) {
        float[] d = Torch.toFloats(a.mul(b).sum(1));
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /** OpenAI's preprocessing: the shorter side scaled to {@code size} (bicubic), then the centre square. */
    private static BufferedImage centreCrop(BufferedImage image, int size) {
        double scale = (double) size / Math.min(image.getWidth(), image.getHeight());
        int w = Math.max(size, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(size, (int) Math.round(image.getHeight() * scale));
        BufferedImage scaled = Images.resize(image, w, h);
        return scaled.getSubimage((w - size) / 2, (h - size) / 2, size, size);
    }

    @Override
    public void close() {
        clip.close();
    }
}
