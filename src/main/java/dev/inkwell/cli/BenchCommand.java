package dev.inkwell.cli;

import dev.inkwell.bench.UNetBenchmark;
import dev.inkwell.tensor.Precision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks that print figures; targets live in the docs beside the reference figures. */
@Command(name = "bench", description = "Measure speed and memory.", mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.Unet.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "unet", mixinStandardHelpOptions = true,
            description = "One classifier-free-guidance UNet step (batch 2) of the full-size SD 1.5 "
                    + "architecture with random weights.")
    static final class Unet implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

        @Option(names = "--size", defaultValue = "512", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--precision", defaultValue = "float32", converter = PrecisionConverter.class,
                description = "float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}).")
        Precision precision;

        @Override
        public Integer call() {
            if (size <= 0 || size % 8 != 0) {
                throw new IllegalArgumentException("--size must be a positive multiple of 8, not " + size);
            }
            if (runs <= 0) {
                throw new IllegalArgumentException("--runs must be positive, not " + runs);
            }
            UNetBenchmark.Result r = UNetBenchmark.run(size, runs, precision, out());
            out().printf("peak memory (RSS): %.2f GiB%n", r.peakRssBytes() / (double) (1L << 30));
            out().printf("unet-step %dpx batch%d: median %.2f s, min %.2f s%n", r.size(), r.batch(), r.median(), r.min());
            return 0;
        }
    }
}
