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
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
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
    /** Embedding rows of tokens added after the vocabulary (learned concepts), or {@code null}. */
    private final Tensor addedRows;

    public ClipTextModel(ClipTextConfig config, WeightSource source, Precision precision) {
        this(config, Weights.root(source, precision));
    }

    /**
     * A text tower over {@code weights} ({@code text_model.*}, {@code text_projection}); closing the
     * model closes them. For models that hold the tower beside other parts in one weight tree.
     */
    public ClipTextModel(ClipTextConfig config, Weights weights) {
        this(config, weights, null);
    }

    /**
     * A text tower whose vocabulary is extended by {@code addedRows} ({@code [n, hidden]}, ids
     * {@code vocab_size} to {@code vocab_size + n - 1}), as transformers' {@code
     * resize_token_embeddings} plus the learned rows; the model owns them. The rows stay a tensor of
     * their own, so they can be trained while the vocabulary's rows stay as they are.
     */
    public ClipTextModel(ClipTextConfig config, Weights weights, Tensor addedRows) {
        Torch.init();
        this.addedRows = addedRows;
        if (addedRows != null && (addedRows.dim() != 2 || addedRows.size(1) != config.hiddenSize())) {
            throw new IllegalArgumentException("added token rows must be [n, " + config.hiddenSize() + "], not "
                    + java.util.Arrays.toString(Torch.shape(addedRows)));
        }
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
        long[] poolIndex = new long[batch];
        for (int b = 0; b < batch; b++) {
            if (ids[b].length != length) {
                throw new IllegalArgumentException("token sequences in a batch must have one length");
            }
            poolIndex[b] = (long) b * length + poolPosition(ids[b]);
        }
        return encodeEmbedded(tokenEmbeddings(ids).add(positionEmbeddings(length).unsqueeze(0)), poolIndex);
    }

    /** The token embeddings {@code [B, L, hidden]} of equally long id rows, added tokens included, without positions. */
    public Tensor tokenEmbeddings(long[][] ids) {
        int batch = ids.length;
        int length = ids[0].length;
        long[] flat = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flat, b * length, length);
        }
        Tensor input = Torch.longs(flat, batch, length);
        if (addedRows == null) {
            return torch.embedding(tokenEmbedding, input);
        }
        // Two lookups joined per position, so the added rows need no copy of the whole table.
        long vocab = config.vocabSize();
        Tensor added = input.ge(new Scalar(vocab));
        Tensor base = torch.embedding(tokenEmbedding, input.clamp_max(new Scalar(vocab - 1)));
        Tensor extra = torch.embedding(addedRows, input.sub(new Scalar(vocab)).clamp(new ScalarOptional(new Scalar(0)),
                new ScalarOptional(new Scalar(addedRows.size(0) - 1))));
        return torch.where(added.unsqueeze(2), extra, base);
    }

    /** The position embeddings of the first {@code length} positions, {@code [length, hidden]}. */
    public Tensor positionEmbeddings(int length) {
        return positionEmbedding.narrow(0, 0, length);
    }

    /** The added tokens' rows {@code [n, hidden]}, or {@code null}: the tensor the model reads, to train it. */
    public Tensor addedRows() {
        return addedRows;
    }

    /**
     * The encoder over input embeddings {@code [B, L, hidden]} (token plus position, or edited),
     * pooled at flat positions {@code poolIndex} ({@code b * L + position}).
     */
    public TextEncoderOutput encodeEmbedded(Tensor embeddings, long[] poolIndex) {
        int batch = (int) embeddings.size(0);
        int length = (int) embeddings.size(1);
        Tensor x = embeddings;
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
        if (addedRows != null) {
            addedRows.close();
        }
    }
}
