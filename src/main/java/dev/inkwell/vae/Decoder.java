package dev.inkwell.vae;

import dev.inkwell.nn.Conv2d;
import dev.inkwell.nn.GroupNorm;
import dev.inkwell.nn.Ops;
import dev.inkwell.nn.Probe;
import dev.inkwell.nn.ResnetBlock2D;
import dev.inkwell.nn.Upsample2D;
import dev.inkwell.nn.Weights;
import dev.inkwell.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** The VAE decoder: latents to an image in roughly [-1, 1]. */
final class Decoder {
    private final Conv2d convIn;
    private final VaeMidBlock midBlock;
    private final List<List<ResnetBlock2D>> upResnets = new ArrayList<>();
    private final List<Upsample2D> upsamplers = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    Decoder(Weights w, VaeConfig c) {
        int[] ch = c.blockOutChannels();
        int n = ch.length;
        convIn = new Conv2d(w.at("conv_in"), c.latentChannels(), ch[n - 1], 3, 1, 1);
        midBlock = new VaeMidBlock(w.at("mid_block"), c, ch[n - 1]);
        long out = ch[n - 1];
        for (int i = 0; i < n; i++) {
            long in = out;
            out = ch[n - 1 - i];
            Weights block = w.at("up_blocks", i);
            List<ResnetBlock2D> resnets = new ArrayList<>();
            for (int j = 0; j < c.layersPerBlock() + 1; j++) {
                resnets.add(new ResnetBlock2D(block.at("resnets", j), j == 0 ? in : out, out, 0, c.normGroups(), 1e-6));
            }
            upResnets.add(resnets);
            upsamplers.add(i == n - 1 ? null : new Upsample2D(block.at("upsamplers", 0), out));
        }
        convNormOut = new GroupNorm(w.at("conv_norm_out"), c.normGroups(), ch[0], 1e-6);
        convOut = new Conv2d(w.at("conv_out"), ch[0], c.outChannels(), 3, 1, 1);
    }

    /** One up block, its intermediates freed at once: at full resolution each is hundreds of megabytes. */
    private Tensor upBlock(int i, Tensor input) {
        return Torch.scoped(() -> {
            Tensor x = input;
            for (ResnetBlock2D resnet : upResnets.get(i)) {
                x = resnet.forward(x, null);
            }
            return upsamplers.get(i) == null ? x : upsamplers.get(i).forward(x);
        });
    }

    Tensor forward(Tensor z, Probe probe) {
        Tensor x = convIn.forward(z);
        probe.accept("decoder.conv_in", x);
        x = midBlock.forward(x);
        probe.accept("decoder.mid_block", x);
        for (int i = 0; i < upResnets.size(); i++) {
            x = upBlock(i, x);
            probe.accept("decoder.up_blocks." + i, x);
        }
        x = convNormOut.forward(x);
        probe.accept("decoder.conv_norm_out", x);
        x = convOut.forward(Ops.silu(x));
        probe.accept("decoder.conv_out", x);
        return x;
    }
}
