package dev.inkwell.clip;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.nn.Config;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.text.ClipTextConfig;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.text.TextEncoderOutput;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.weights.RandomSource;
import dev.inkwell.weights.SafeTensorsSource;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * A CLIP model (transformers' {@code CLIPModel}): a text tower with its projection, an image tower
 * with its projection, and the learned temperature {@code logit_scale}. In a model folder the text
 * tower's first layers (all of them, or as many as the pipeline's text encoder runs) are the
 * pipeline's {@code text_encoder/} and everything else lives in {@code clip/}, so the token
 * embedding, by far the largest part, is stored once.
 */
public final class Clip implements AutoCloseable {
    public static final String FOLDER = "clip";
    public static final String TEXT_FOLDER = "text_encoder";
    private static final String WEIGHTS_FILE = "model.safetensors";
    private static final String TEXT_PREFIX = "text_model.";
    private static final Pattern TEXT_LAYER = Pattern.compile("text_model\\.encoder\\.layers\\.(\\d+)\\.");
    /** CLIP's initial temperature, 1 / 0.07, and its cap of 100 on the scale. */
    private static final double INITIAL_LOGIT_SCALE = Math.log(1 / 0.07);
    private static final double MAX_LOGIT_SCALE = 100;

    private final ClipTextConfig textConfig;
    private final ClipVisionConfig visionConfig;
    private final Weights weights;
    private final ClipTextModel text;
    private final ClipVisionModel vision;
    private final Tensor logitScale;

    public Clip(ClipTextConfig textConfig, ClipVisionConfig visionConfig, WeightSource source) {
        this.textConfig = textConfig.withProjection(true);
        this.visionConfig = visionConfig;
        this.weights = Weights.root(source, Precision.FLOAT32);
        this.text = new ClipTextModel(this.textConfig, weights);
        this.vision = new ClipVisionModel(visionConfig, weights);
        this.logitScale = weights.get("logit_scale");
    }

    /** A freshly initialised model, reproducible from {@code seed}, with CLIP's initial temperature. */
    public static Clip fresh(ClipTextConfig textConfig, ClipVisionConfig visionConfig, long seed) {
        Clip clip = new Clip(textConfig, visionConfig, new RandomSource(seed));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            clip.logitScale.fill_(new Scalar(INITIAL_LOGIT_SCALE));
        }
        return clip;
    }

    /** Loads the CLIP of a model folder written by {@link #save}. */
    public static Clip load(Path modelFolder) {
        Path textFolder = modelFolder.resolve(TEXT_FOLDER);
        Path clipFolder = modelFolder.resolve(FOLDER);
        Config clipConfig = Config.read(clipFolder.resolve("config.json"));
        return new Clip(ClipTextConfig.from(clipConfig.child("text_config")),
                ClipVisionConfig.from(clipConfig.child("vision_config")),
                SafeTensorsSource.open(List.of(textFolder.resolve(WEIGHTS_FILE), clipFolder.resolve(WEIGHTS_FILE))));
    }

    /** Whether {@code modelFolder} holds a CLIP written by {@link #save}. */
    public static boolean existsIn(Path modelFolder) {
        return Files.isRegularFile(modelFolder.resolve(FOLDER).resolve(WEIGHTS_FILE));
    }

    public ClipTextModel text() {
        return text;
    }

    public ClipVisionModel vision() {
        return vision;
    }

    /** Unit-length text embeddings {@code [B, projection_dim]} of token id rows of one length. */
    public Tensor textEmbeds(long[][] ids) {
        return textEmbeds(text.encode(ids));
    }

    /** As {@link #textEmbeds(long[][])}, from the text tower's output. */
    public Tensor textEmbeds(TextEncoderOutput encoded) {
        return normalise(encoded.textEmbeds());
    }

    /** Unit-length image embeddings {@code [B, projection_dim]} of images in [-1, 1]. */
    public Tensor imageEmbeds(Tensor images) {
        return normalise(vision.embed(images));
    }

    /** {@code [images, texts]} logits: cosine similarities times the learned scale (capped at 100, as CLIP). */
    public Tensor logits(Tensor imageEmbeds, Tensor textEmbeds) {
        return imageEmbeds.matmul(textEmbeds.t()).mul(logitScale.exp().clamp_max(new Scalar(MAX_LOGIT_SCALE)));
    }

    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    /**
     * Writes {@code text_encoder/} (a transformers {@code CLIPTextModel}: config and weights of the
     * text tower's first {@code textEncoderLayers} layers, with its embeddings and final LayerNorm)
     * and {@code clip/} (a {@code CLIPModel} config and the remaining weights) into
     * {@code modelFolder}, float32, each folder replaced atomically. Fewer layers than the tower's
     * make a text encoder that reads the prompt where the tower still tells its words apart.
     */
    public void save(Path modelFolder, int textEncoderLayers) throws IOException {
        if (textEncoderLayers < 1 || textEncoderLayers > textConfig.layers()) {
            throw new IllegalArgumentException("the text encoder can run 1 to " + textConfig.layers()
                    + " of the tower's layers, not " + textEncoderLayers);
        }
        Map<String, SafeTensorsWriter.Tensor> textWeights = new LinkedHashMap<>();
        Map<String, SafeTensorsWriter.Tensor> rest = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            parameters().forEach((key, t) -> (inTextEncoder(key, textEncoderLayers) ? textWeights : rest)
                    .put(key, ParameterFiles.entry(key, t)));
        }
        AtomicFiles.replaceFolder(modelFolder.resolve(TEXT_FOLDER), folder -> {
            Files.writeString(folder.resolve("config.json"),
                    Config.toJson(textConfig.withProjection(false).withLayers(textEncoderLayers).fields()));
            SafeTensorsWriter.write(folder.resolve(WEIGHTS_FILE), textWeights);
        });
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("CLIPModel"));
        config.put("model_type", "clip");
        config.put("_note", "the text tower's weights are in ../" + TEXT_FOLDER + "/");
        config.put("projection_dim", visionConfig.projectionDim());
        config.put("logit_scale_init_value", INITIAL_LOGIT_SCALE);
        config.put("text_config", textConfig.fields());
        config.put("vision_config", visionConfig.fields());
        AtomicFiles.replaceFolder(modelFolder.resolve(FOLDER), folder -> {
            Files.writeString(folder.resolve("config.json"), Config.toJson(config));
            SafeTensorsWriter.write(folder.resolve(WEIGHTS_FILE), rest);
        });
    }

    /** Whether {@code key} belongs to the text encoder: a text-tower weight not of layer {@code layers} or deeper. */
    private static boolean inTextEncoder(String key, int layers) {
        if (!key.startsWith(TEXT_PREFIX)) {
            return false;
        }
        Matcher layer = TEXT_LAYER.matcher(key);
        return !layer.lookingAt() || Integer.parseInt(layer.group(1)) < layers;
    }

    private static Tensor normalise(Tensor embeds) {
        return embeds.div(embeds.norm(new ScalarOptional(new Scalar(2.0)),
                new long[] {1}, true).clamp_min(new Scalar(1e-8)));
    }

    @Override
    public void close() {
        weights.close();
    }
}
