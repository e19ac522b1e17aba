package dev.inkwell.vae;

import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.Downsample2D;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Probe;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** The VAE encoder: image to the moments (mean and log-variance) of the latent distribution. */
final class Encoder {
    private final Conv2d convIn;
    private final List<List<ResnetBlock2D>> downResnets = new ArrayList<>();
    private final List<Downsample2D> downsamplers = new ArrayList<>();
    private final VaeMidBlock midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    Encoder(Weights w, VaeConfig c) {
        int[] ch = c.blockOutChannels();
        convIn = new Conv2d(w.at("conv_in"), c.inChannels(), ch[0], 3, 1, 1);
        long out = ch[0];
        for (int i = 0; i < ch.length; i++) {
            long in = out;
            out = ch[i];
            Weights block = w.at("down_blocks", i);
            List<ResnetBlock2D> resnets = new ArrayList<>();
            for (int j = 0; j < c.layersPerBlock(); j++) {
                resnets.add(new ResnetBlock2D(block.at("resnets", j), j == 0 ? in : out, out, 0, c.normGroups(), 1e-6));
            }
            downResnets.add(resnets);
            downsamplers.add(i == ch.length - 1 ? null : new Downsample2D(block.at("downsamplers", 0), out, 0));
        }
        long last = ch[ch.length - 1];
        midBlock = new VaeMidBlock(w.at("mid_block"), c, last);
        convNormOut = new GroupNorm(w.at("conv_norm_out"), c.normGroups(), last, 1e-6);
        convOut = new Conv2d(w.at("conv_out"), last, 2L * c.latentChannels(), 3, 1, 1);
    }

    /** One down block, its intermediates freed at once: at full resolution each is hundreds of megabytes. */
    private Tensor downBlock(int i, Tensor input) {
        return Torch.scoped(() -> {
            Tensor x = input;
            for (ResnetBlock2D resnet : downResnets.get(i)) {
                x = resnet.forward(x, null);
            }
            return downsamplers.get(i) == null ? x : downsamplers.get(i).forward(x);
        });
    }

    Tensor forward(Tensor x, Probe probe) {
        x = convIn.forward(x);
        probe.accept("encoder.conv_in", x);
        for (int i = 0; i < downResnets.size(); i++) {
            x = downBlock(i, x);
            probe.accept("encoder.down_blocks." + i, x);
        }
        x = midBlock.forward(x);
        probe.accept("encoder.mid_block", x);
        x = convNormOut.forward(x);
        probe.accept("encoder.conv_norm_out", x);
        x = convOut.forward(Ops.silu(x));
        probe.accept("encoder.conv_out", x);
        return x;
    }
}
