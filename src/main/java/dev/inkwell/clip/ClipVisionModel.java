package dev.inkwell.clip;

import dev.inkwell.nn.LayerNorm;
import dev.inkwell.nn.Linear;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipEncoderLayer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * transformers' {@code CLIPVisionModelWithProjection}: a ViT over non-overlapping patches with a class
 * token, pre- and post-LayerNorm (the checkpoint's {@code pre_layrnorm} spelling kept), and a bias-free
 * {@code visual_projection} of the class token's state.
 */
public final class ClipVisionModel {
    private final ClipVisionConfig config;
    private final Tensor classEmbedding;
    private final Tensor patchEmbedding;
    private final Tensor positionEmbedding;
    private final LayerNorm preLayerNorm;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm postLayerNorm;
    private final Linear visualProjection;

    /** Reads {@code vision_model.*} and {@code visual_projection} from {@code weights}, which the caller owns. */
    public ClipVisionModel(ClipVisionConfig config, Weights weights) {
        this.config = config;
        Weights vision = weights.at("vision_model");
        Weights embeddings = vision.at("embeddings");
        long d = config.hiddenSize();
        classEmbedding = embeddings.get("class_embedding", d);
        patchEmbedding = embeddings.at("patch_embedding").get("weight", d, 3, config.patchSize(), config.patchSize());
        positionEmbedding = embeddings.at("position_embedding").get("weight", config.positions(), d);
        preLayerNorm = new LayerNorm(vision.at("pre_layrnorm"), d, config.layerNormEps());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(new ClipEncoderLayer(vision.at("encoder").at("layers", i), d, config.intermediateSize(),
                    config.heads(), config.hiddenAct(), config.layerNormEps()));
        }
        postLayerNorm = new LayerNorm(vision.at("post_layernorm"), d, config.layerNormEps());
        visualProjection = new Linear(weights.at("visual_projection"), d, config.projectionDim(), false);
    }

    public ClipVisionConfig config() {
        return config;
    }

    /**
     * Projected image embeddings {@code [B, projection_dim]} (not normalised) of images
     * {@code [B, 3, image_size, image_size]}. Inkwell's own CLIP takes images in [-1, 1] as they come
     * from the VAE; OpenAI's CLIP expects its mean/std normalisation instead.
     */
    public Tensor embed(Tensor images) {
        return Torch.scoped(() -> {
            long batch = images.size(0);
            long p = config.patchSize();
            Tensor patches = torch.conv2d(images, patchEmbedding, new TensorOptional(), new long[] {p, p},
                    new long[] {0, 0}, new long[] {1, 1}, 1).flatten(2, 3).transpose(1, 2);
            Tensor cls = classEmbedding.reshape(1, 1, -1).expand(batch, 1, config.hiddenSize());
            Tensor x = preLayerNorm.forward(Ops.cat(1, cls, patches)
                    .add(positionEmbedding.unsqueeze(0)));
            for (ClipEncoderLayer layer : layers) {
                x = layer.forward(x, false);
            }
            return visualProjection.forward(postLayerNorm.forward(x.select(1, 0)));
        });
    }
}
