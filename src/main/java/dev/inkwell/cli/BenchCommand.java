package dev.inkwell.cli;

import dev.inkwell.bench.GenerateBenchmark;
import dev.inkwell.bench.PersonalizeBenchmark;
import dev.inkwell.bench.ServeBenchmark;
import dev.inkwell.bench.Timings;
import dev.inkwell.bench.UNetBenchmark;
import dev.inkwell.nn.OpProfile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks that print figures; targets live in the docs beside the reference figures. */
@Command(name = "bench", description = "Measure speed and memory.", mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.Unet.class, BenchCommand.Generate.class, BenchCommand.Personalize.class, BenchCommand.Serve.class})
final class BenchCommand extends CommandGroup {

    /** The options every benchmark shares. */
    static final class Common {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--size", defaultValue = "512", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void check(int runs) {
            if (size <= 0 || size % 8 != 0) {
                throw new IllegalArgumentException("--size must be a positive multiple of 8, not " + size);
            }
            if (runs <= 0) {
                throw new IllegalArgumentException("--runs must be positive, not " + runs);
            }
        }
    }

    @Command(name = "unet", mixinStandardHelpOptions = true,
            description = "One classifier-free-guidance UNet step (batch 2) of the full-size SD 1.5 "
                    + "architecture with random weights.")
    static final class Unet implements Callable<Integer> {
        @Mixin
        Common common;

        @Mixin
        PrecisionOption precisionOption;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--profile", description = "Print the time of each kind of operation in the last run.")
        boolean profile;

        @Override
        public Integer call() {
            common.check(runs);
            PrintWriter out = common.out();
            Timings r;
            try (OpProfile p = profile ? OpProfile.start() : null) {
                r = UNetBenchmark.run(common.size, runs, precisionOption.precision, p, out);
                if (p != null) {
                    printProfile(p, r.seconds()[runs - 1], out);
                }
            }
            out.printf("peak memory (RSS): %.2f GiB%n", r.peakRssGiB());
            out.printf("unet-step %dpx batch%d %s: median %.2f s, min %.2f s%n", common.size, UNetBenchmark.BATCH,
                    precisionOption.precision.label(), r.median(), r.min());
            return 0;
        }
    }

    private static void printProfile(OpProfile profile, double stepSeconds, PrintWriter out) {
        out.printf("%-48s %6s %10s %6s%n", "operation (last run)", "calls", "ms", "share");
        double listed = 0;
        for (OpProfile.Entry e : profile.entries()) {
            listed += e.seconds();
            out.printf("%-48s %6d %10.1f %5.1f%%%n", e.label(), e.calls(), e.seconds() * 1e3, 100 * e.seconds() / stepSeconds);
        }
        double rest = stepSeconds - listed;
        out.printf("%-48s %6s %10.1f %5.1f%%%n", "everything else (element-wise, copies)", "", rest * 1e3, 100 * rest / stepSeconds);
    }

    @Command(name = "personalize", mixinStandardHelpOptions = true,
            description = "ClassDiffusion training steps (batch 1, K/V and token, SPL) of the full-size SD 1.5 architecture"
                    + " with random weights.")
    static final class Personalize implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--runs", defaultValue = "3", description = "Timed steps after one warm-up (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() {
            common.check(runs);
            PrintWriter out = common.out();
            Timings r = PersonalizeBenchmark.run(common.size, runs, out);
            out.printf("peak memory (RSS): %.2f GiB%n", r.peakRssGiB());
            out.printf("personalize-step %dpx batch1: median %.2f s, min %.2f s%n", common.size, r.median(), r.min());
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Small txt2img jobs on the embedded model: direct library calls and the same through the server"
                    + " from concurrent clients, in alternating rounds; throughput, p50/p95 latency, the server's overhead, memory.")
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--jobs", defaultValue = "200", description = "Jobs each way (default: ${DEFAULT-VALUE}).")
        int jobs;

        @Option(names = "--clients", defaultValue = "20", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--steps", defaultValue = "10", description = "Denoising steps per job (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--rounds", defaultValue = "4",
                description = "Alternations of direct and served jobs, the jobs split between them (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws Exception {
            if (jobs < 1 || clients < 1 || steps < 1 || rounds < 1) {
                throw new IllegalArgumentException("--jobs, --clients, --steps and --rounds must be positive");
            }
            ServeBenchmark.run(jobs, clients, steps, rounds, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Whole text-to-image runs (guided, Euler) of the full-size SD 1.5 architecture with random weights.")
    static final class Generate implements Callable<Integer> {
        @Mixin
        Common common;

        @Mixin
        PrecisionOption precisionOption;

        @Option(names = "--steps", defaultValue = "20", description = "Denoising steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--runs", defaultValue = "1", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() {
            common.check(runs);
            if (steps <= 0) {
                throw new IllegalArgumentException("--steps must be positive, not " + steps);
            }
            PrintWriter out = common.out();
            Timings r = GenerateBenchmark.run(common.size, steps, runs, precisionOption.precision, out);
            out.printf("peak memory (RSS): %.2f GiB%n", r.peakRssGiB());
            out.printf("generate %dpx %d steps %s: median %.1f s, min %.1f s%n", common.size, steps,
                    precisionOption.precision.label(), r.median(), r.min());
            return 0;
        }
    }
}
