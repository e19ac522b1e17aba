package dev.inkwell.bench;

import dev.inkwell.checkpoint.CheckpointType;
import dev.inkwell.checkpoint.RandomCheckpoint;
import dev.inkwell.nn.OpProfile;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.unet.UNetConfig;
import java.io.PrintWriter;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Times one classifier-free-guidance UNet step (batch 2) of the full-size SD 1.5 architecture
 * with random weights, so speed can be measured without a checkpoint.
 */
public final class UNetBenchmark {
    public static final int BATCH = 2;

    private UNetBenchmark() {}

    /**
     * @param profile {@code null}, or a recording profile: it ends holding the last run's
     *     operations
     */
    public static Timings run(int size, int runs, Precision precision, OpProfile profile, PrintWriter log) {
        RandomCheckpoint sd15 = new RandomCheckpoint(CheckpointType.SD1, 0);
        UNetConfig config = UNetConfig.from(sd15.config("unet"));
        double[] seconds = new double[runs];
        try (NoGradGuard noGrad = new NoGradGuard();
                UNet2DConditionModel unet = new UNet2DConditionModel(config, sd15.weights("unet"), precision, true)) {
            TensorOptions options = new TensorOptions(precision.scalarType());
            Tensor sample = torch.randn(new long[] {BATCH, 4, size / 8, size / 8}, options);
            Tensor context = torch.randn(new long[] {BATCH, 77, config.crossAttentionDim()}, options);
            Tensor t = Torch.longs(new long[] {500}, 1);
            for (int i = -1; i < runs; i++) {
                try (PointerScope scope = new PointerScope()) {
                    if (profile != null) {
                        profile.clear();
                    }
                    long start = System.nanoTime();
                    unet.forward(sample, t, Conditioning.text(context));
                    double s = (System.nanoTime() - start) / 1e9;
                    if (i >= 0) {
                        seconds[i] = s;
                    }
                    log.printf("%s run %.2f s%n", i < 0 ? "warm-up" : "timed", s);
                    log.flush();
                }
            }
        }
        return new Timings(seconds, Timings.peakRss());
    }
}
