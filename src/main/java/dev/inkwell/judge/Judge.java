package dev.inkwell.judge;

import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.weights.RandomSource;
import dev.inkwell.weights.SafeTensorsSource;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.weights.WeightSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * A small CNN that reads every {@link Attribute} off a rendered scene, so generated pictures can be
 * scored against what their prompt asked for. A full-resolution stem, stride-2 stages (a strided
 * convolution then a {@link ResnetBlock2D}), global pooling ({@link JudgeConfig.Pooling}) and one
 * linear head per attribute. Parameters use checkpoint keys ({@code conv_in},
 * {@code down_blocks.N.downsample}, {@code down_blocks.N.resnet}, {@code norm_out},
 * {@code heads.<attribute>}) and save as {@code config.json} plus {@code model.safetensors}, like our
 * other components.
 */
public final class Judge implements AutoCloseable {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    private static final double EPS = 1e-5;

    private final JudgeConfig config;
    private final Weights weights;
    private final Conv2d convIn;
    private final List<Conv2d> downsamples = new ArrayList<>();
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final GroupNorm normOut;
    private final Map<Attribute, Linear> heads = new EnumMap<>(Attribute.class);

    /** @throws IllegalArgumentException if the config's heads are not this build's attributes */
    public Judge(JudgeConfig config, WeightSource source) {
        if (!config.heads().equals(JudgeConfig.currentHeads())) {
            source.close();
            throw new IllegalArgumentException("judge heads " + config.heads() + " do not match this build's attributes "
                    + JudgeConfig.currentHeads());
        }
        this.config = config;
        this.weights = Weights.root(source, Precision.FLOAT32);
        List<Integer> ch = config.blockOutChannels();
        long groups = config.normNumGroups();
        convIn = new Conv2d(weights.at("conv_in"), 3, ch.get(0), 3, 1, 1);
        for (int i = 1; i < ch.size(); i++) {
            Weights block = weights.at("down_blocks", i - 1);
            downsamples.add(new Conv2d(block.at("downsample"), ch.get(i - 1), ch.get(i), 3, 2, 1));
            resnets.add(new ResnetBlock2D(block.at("resnet"), ch.get(i), ch.get(i), 0, groups, EPS));
        }
        long width = ch.get(ch.size() - 1);
        normOut = new GroupNorm(weights.at("norm_out"), groups, width, EPS);
        long pooledWidth = width * config.pooling().widthFactor();
        for (Attribute a : Attribute.values()) {
            heads.put(a, new Linear(weights.at("heads").at(a.key()), pooledWidth, a.classes(), true));
        }
    }

    /** A freshly initialised judge (fan-in-scaled normal weights), reproducible from {@code seed}. */
    public static Judge random(JudgeConfig config, long seed) {
        return new Judge(config, new RandomSource(seed));
    }

    /** Loads a judge saved by {@link #save}. */
    public static Judge load(Path dir) {
        JudgeConfig config = JudgeConfig.read(dir.resolve(CONFIG_FILE));
        return new Judge(config, SafeTensorsSource.open(List.of(dir.resolve(WEIGHTS_FILE))));
    }

    public JudgeConfig config() {
        return config;
    }

    /** Logits {@code [B, classes]} per attribute for images {@code [B, 3, H, W]} in [-1, 1]. */
    public Map<Attribute, Tensor> forward(Tensor images) {
        Tensor features = Torch.scoped(() -> {
            Tensor h = convIn.forward(images);
            for (int i = 0; i < resnets.size(); i++) {
                h = resnets.get(i).forward(downsamples.get(i).forward(h), null);
            }
            return pool(Ops.silu(normOut.forward(h)));
        });
        Map<Attribute, Tensor> logits = new EnumMap<>(Attribute.class);
        heads.forEach((a, head) -> logits.put(a, head.forward(features)));
        return logits;
    }

    private Tensor pool(Tensor map) {
        Tensor mean = map.mean(2, 3);
        return switch (config.pooling()) {
            case MEAN -> mean;
            case MEAN_MAX -> Ops.cat(1, mean, map.amax(new long[] {2, 3}, false));
        };
    }

    /**
     * The most probable value of every attribute, with its probability, for each image. The
     * probabilities are the mean of the judge's on the picture and on its mirror image: the world
     * draws every figure facing left or right alike, so both are pictures of the same scene, and
     * reading both misses fewer small parts (docs/storybook-model.md).
     */
    public JudgeOutput predict(BufferedImage... images) {
        if (images.length == 0) {
            return new JudgeOutput(List.of());
        }
        List<Map<Attribute, Prediction>> perImage = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            perImage.add(new EnumMap<>(Attribute.class));
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor pictures = Images.toTensor(images);
            Map<Attribute, Tensor> mirrored = forward(pictures.flip(3));
            forward(pictures).forEach((a, logits) -> {
                float[] p = Torch.toFloats(logits.softmax(1).add(mirrored.get(a).softmax(1)).mul(new Scalar(0.5)));
                int n = a.classes();
                for (int i = 0; i < images.length; i++) {
                    int best = 0;
                    for (int c = 1; c < n; c++) {
                        if (p[i * n + c] > p[i * n + best]) {
                            best = c;
                        }
                    }
                    perImage.get(i).put(a, new Prediction(a, a.classValues().get(best), p[i * n + best]));
                }
            });
        }
        return new JudgeOutput(perImage.stream().map(Judgement::new).toList());
    }

    /** The live parameter tensors by checkpoint key (for the optimizer and for saving). */
    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir}, each atomically. */
    public void save(Path dir) {
        try {
            AtomicFiles.write(dir.resolve(CONFIG_FILE), true,
                    file -> Files.writeString(file, config.toJson(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write judge config: " + e.getMessage(), e);
        }
        ParameterFiles.write(dir.resolve(WEIGHTS_FILE), parameters());
    }

    @Override
    public void close() {
        weights.close();
    }
}
