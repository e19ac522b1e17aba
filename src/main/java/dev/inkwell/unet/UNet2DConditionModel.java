package dev.inkwell.unet;

import dev.inkwell.nn.Config;
import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Probe;
import dev.inkwell.weights.WeightSource;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * diffusers' {@code UNet2DConditionModel} for SD 1.x, SD 2.x and SDXL: predicts the noise (or
 * velocity) in latents at a timestep, conditioned on text through cross-attention and, for
 * SDXL, on the pooled text embedding and image size through the added time embedding.
 */
public final class UNet2DConditionModel implements AutoCloseable {
    private final UNetConfig config;
    private final Weights weights;
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Timesteps addTimeProj;
    private final TimestepEmbedding addEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks = new ArrayList<>();
    private final MidBlock midBlock;
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public UNet2DConditionModel(UNetConfig c, WeightSource source, Precision precision) {
        this(c, source, precision, false);
    }

    /** @param generationOnly see {@link Weights#root(WeightSource, Precision, boolean)} */
    public UNet2DConditionModel(UNetConfig c, WeightSource source, Precision precision, boolean generationOnly) {
        Torch.init();
        this.config = c;
        this.weights = Weights.root(source, precision, generationOnly);
        Weights w = weights;
        int[] ch = c.blockOutChannels();
        timeProj = new Timesteps(ch[0], c.flipSinToCos(), c.freqShift());
        timeEmbedding = new TimestepEmbedding(w.at("time_embedding"), ch[0], c.timeEmbedDim());
        if (c.hasTextTimeEmbedding()) {
            addTimeProj = new Timesteps(c.additionTimeEmbedDim(), c.flipSinToCos(), c.freqShift());
            addEmbedding = new TimestepEmbedding(w.at("add_embedding"), c.projectionClassEmbeddingsInputDim(),
                    c.timeEmbedDim());
        } else {
            addTimeProj = null;
            addEmbedding = null;
        }
        convIn = new Conv2d(w.at("conv_in"), c.inChannels(), ch[0], 3, 1, 1);
        long out = ch[0];
        for (int i = 0; i < c.blocks(); i++) {
            long in = out;
            out = ch[i];
            downBlocks.add(new DownBlock(w.at("down_blocks", i), c, i, in, out));
        }
        midBlock = new MidBlock(w.at("mid_block"), c);
        int n = c.blocks();
        out = ch[n - 1];
        for (int i = 0; i < n; i++) {
            long prevOut = out;
            out = ch[n - 1 - i];
            long in = ch[Math.max(n - 2 - i, 0)];
            upBlocks.add(new UpBlock(w.at("up_blocks", i), c, i, in, out, prevOut));
        }
        convNormOut = new GroupNorm(w.at("conv_norm_out"), c.normGroups(), ch[0], c.normEps());
        convOut = new Conv2d(w.at("conv_out"), ch[0], c.outChannels(), 3, 1, 1);
        if (weights.generationOnly()) {
            Torch.releaseFreedMemory(); // the plain weights the convolutions replaced
        }
    }

    public static UNet2DConditionModel load(Path dir, WeightSource source, Precision precision) {
        return new UNet2DConditionModel(UNetConfig.from(Config.read(dir.resolve("config.json"))), source, precision);
    }

    public UNetConfig config() {
        return config;
    }

    public Precision precision() {
        return weights.precision();
    }

    public Tensor forward(Tensor sample, Tensor timesteps, Conditioning cond) {
        return forward(sample, timesteps, cond, Probe.NONE);
    }

    /**
     * @param sample noisy latents {@code [B, C, h, w]}
     * @param timesteps one value per batch row {@code [B]} (integer or fractional)
     */
    public Tensor forward(Tensor sample, Tensor timesteps, Conditioning cond, Probe probe) {
        long batch = sample.size(0);
        Tensor tProj = timeProj.forward(timesteps.numel() == 1 ? timesteps.reshape(1).expand(batch) : timesteps);
        probe.accept("time_proj", tProj);
        Tensor emb = timeEmbedding.forward(tProj.to(sample.scalar_type()));
        probe.accept("time_embedding", emb);
        if (addEmbedding != null) {
            if (cond.textEmbeds() == null || cond.timeIds() == null) {
                throw new IllegalArgumentException("this UNet (SDXL) needs pooled text embeddings and time ids");
            }
            Tensor timeIds = addTimeProj.forward(cond.timeIds().flatten());
            probe.accept("add_time_proj", timeIds);
            Tensor addInput = Ops.cat(1, cond.textEmbeds(), timeIds.reshape(batch, -1).to(cond.textEmbeds().scalar_type()));
            Tensor aug = addEmbedding.forward(addInput.to(sample.scalar_type()));
            probe.accept("add_embedding", aug);
            emb = emb.add(aug);
        }
        Tensor x = convIn.forward(sample);
        probe.accept("conv_in", x);
        List<Tensor> skips = new ArrayList<>();
        skips.add(x);
        for (int i = 0; i < downBlocks.size(); i++) {
            x = downBlocks.get(i).forward(x, emb, cond, skips);
            probe.accept("down_blocks." + i, x);
        }
        x = midBlock.forward(x, emb, cond);
        probe.accept("mid_block", x);
        for (int i = 0; i < upBlocks.size(); i++) {
            x = upBlocks.get(i).forward(x, emb, cond, skips);
            probe.accept("up_blocks." + i, x);
        }
        x = convNormOut.forward(x);
        probe.accept("conv_norm_out", x);
        x = convOut.forward(Ops.silu(x));
        probe.accept("conv_out", x);
        return x;
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
