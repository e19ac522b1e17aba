package dev.inkwell.bench;

import dev.inkwell.nn.Config;
import dev.inkwell.tensor.Precision;
import dev.inkwell.unet.Conditioning;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.weights.RandomSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    public record Result(int size, int batch, double[] seconds, long peakRssBytes) {
        public double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        public double min() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }
    }

    private UNetBenchmark() {}

    public static Result run(int size, int runs, Precision precision, PrintWriter log) {
        UNetConfig config = UNetConfig.from(Config.of("SD 1.5 UNet config", readConfig()));
        int batch = 2;
        double[] seconds = new double[runs];
        try (NoGradGuard noGrad = new NoGradGuard();
                UNet2DConditionModel unet = new UNet2DConditionModel(config, new RandomSource(0), precision)) {
            TensorOptions options = new TensorOptions(precision.scalarType());
            Tensor sample = torch.randn(new long[] {batch, 4, size / 8, size / 8}, options);
            Tensor context = torch.randn(new long[] {batch, 77, 768}, options);
            Tensor t = dev.inkwell.tensor.Torch.longs(new long[] {500}, 1);
            for (int i = -1; i < runs; i++) {
                try (PointerScope scope = new PointerScope()) {
                    long start = System.nanoTime();
                    unet.forward(sample, t, Conditioning.text(context));
                    double s = (System.nanoTime() - start) / 1e9;
                    if (i >= 0) {
                        seconds[i] = s;
                    }
                    log.printf("%s run %.2f s%n", i < 0 ? "warm-up" : "timed", s);
                }
            }
        }
        return new Result(size, batch, seconds, peakRss());
    }

    private static String readConfig() {
        try (InputStream in = UNetBenchmark.class.getResourceAsStream("sd15-unet-config.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process's peak resident memory (VmHWM), which includes native tensors. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: report unknown.
        }
        return -1;
    }
}
