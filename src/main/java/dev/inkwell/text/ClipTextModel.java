package dev.inkwell.text;

import dev.inkwell.nn.Config;
import dev.inkwell.nn.LayerNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.weights.WeightSource;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * transformers' {@code CLIPTextModel} and {@code CLIPTextModelWithProjection}: token and position
 * embeddings, a stack of causal pre-norm layers, a final LayerNorm, and for the projection
 * variant a bias-free {@code text_projection}.
 */
public final class ClipTextModel implements AutoCloseable {
    private final ClipTextConfig config;
    private final Weights weights;
    private final Tensor tokenEmbedding;
    private final Tensor positionEmbedding;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalLayerNorm;
    private final Linear textProjection;

    public ClipTextModel(ClipTextConfig config, WeightSource source, Precision precision) {
        this(config, Weights.root(source, precision));
    }

    /**
     * A text tower over {@code weights} ({@code text_model.*}, {@code text_projection}); closing the
     * model closes them. For models that hold the tower beside other parts in one weight tree.
     */
    public ClipTextModel(ClipTextConfig config, Weights weights) {
        Torch.init();
        this.config = config;
        this.weights = weights;
        Weights text = weights.at("text_model");
        long d = config.hiddenSize();
        tokenEmbedding = text.at("embeddings").at("token_embedding").get("weight", config.vocabSize(), d);
        positionEmbedding = text.at("embeddings").at("position_embedding").get("weight", config.maxPositions(), d);
        for (int i = 0; i < config.layers(); i++) {
            layers.add(new ClipEncoderLayer(text.at("encoder").at("layers", i), config));
        }
        finalLayerNorm = new LayerNorm(text.at("final_layer_norm"), d, config.layerNormEps());
        textProjection = config.withProjection()
                ? new Linear(weights.at("text_projection"), d, config.projectionDim(), false)
                : null;
    }

    public static ClipTextModel load(java.nio.file.Path dir, WeightSource source, Precision precision) {
        return new ClipTextModel(ClipTextConfig.from(Config.read(dir.resolve("config.json"))), source, precision);
    }

    public ClipTextConfig config() {
        return config;
    }

    /** Encodes a batch of equally long id sequences (at most {@code max_position_embeddings}). */
    public TextEncoderOutput encode(long[][] ids) {
        int batch = ids.length;
        int length = ids[0].length;
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException(length + " tokens exceed the text encoder's "
                    + config.maxPositions() + " positions");
        }
        long[] flat = new long[batch * length];
        long[] poolIndex = new long[batch];
        for (int b = 0; b < batch; b++) {
            if (ids[b].length != length) {
                throw new IllegalArgumentException("token sequences in a batch must have one length");
            }
            System.arraycopy(ids[b], 0, flat, b * length, length);
            poolIndex[b] = (long) b * length + poolPosition(ids[b]);
        }
        Tensor input = Torch.longs(flat, batch, length);
        Tensor x = torch.embedding(tokenEmbedding, input)
                .add(positionEmbedding.narrow(0, 0, length).unsqueeze(0));
        List<Tensor> states = new ArrayList<>();
        states.add(x);
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(x, true);
            states.add(x);
        }
        Tensor last = finalLayerNorm.forward(x);
        Tensor pooled = last.reshape(batch * length, config.hiddenSize())
                .index_select(0, Torch.longs(poolIndex, batch));
        Tensor projected = textProjection == null ? null : textProjection.forward(pooled);
        return new TextEncoderOutput(List.copyOf(states), last, pooled, projected);
    }

    /** The final LayerNorm, for clip skip: A1111 applies it to the earlier layer's output too. */
    public Tensor finalLayerNorm(Tensor hidden) {
        return finalLayerNorm.forward(hidden);
    }

    /**
     * Where the pooled output is read: the first end-of-text token, or, when the config carries
     * the legacy {@code eos_token_id} 2, the largest id, as transformers does for old configs.
     */
    int poolPosition(long[] row) {
        int best = 0;
        for (int i = 0; i < row.length; i++) {
            if (config.eosTokenId() == 2) {
                if (row[i] > row[best]) {
                    best = i;
                }
            } else if (row[i] == config.eosTokenId()) {
                return i;
            }
        }
        return config.eosTokenId() == 2 ? best : 0;
    }

    /** The parameters by checkpoint key (see {@link Weights#parameters}), for training and saving. */
    public Map<String, Tensor> parameters() {
        return weights.parameters();
    }

    @Override
    public void close() {
        weights.close();
    }
}
