package dev.inkwell.bench;

import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.server.InkwellServer;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.tensor.Precision;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Small txt2img jobs on the embedded model, run directly through the library one after another and
 * through the server from concurrent clients, in one run: throughput and latency of each, so the
 * server's overhead is a number. The two alternate in rounds, so that the machine's drift during
 * the run (large on a shared VM) falls on both alike; the process's memory is reported after the
 * load.
 */
public final class ServeBenchmark {
    private ServeBenchmark() {}

    /** @return {@code [direct images/s, served images/s]} over all rounds */
    public static double[] run(int jobs, int clients, int steps, int rounds, PrintWriter log) throws Exception {
        List<Double> direct = new ArrayList<>();
        List<Double> served = Collections.synchronizedList(new ArrayList<>());
        double directSeconds = 0;
        double servedSeconds = 0;
        int perRound = Math.max(1, jobs / rounds);
        try (StableDiffusion sd = StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32);
                InkwellServer server = new InkwellServer(Map.of(StorybookModel.NAME,
                        StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)),
                        new InkwellServer.Settings("127.0.0.1", 0, null, jobs, 64, 1000, 1, 1 << 20))) {
            TextToImage pipeline = new TextToImage(sd);
            GenerationRequest request = GenerationRequest.of("a small cat").withSteps(steps).withGuidance(7);
            pipeline.generate(request, ProgressListener.NONE);
            String url = "http://127.0.0.1:" + server.start() + "/sdapi/v1/txt2img";
            HttpClient http = HttpClient.newHttpClient();
            post(http, url, 0, steps);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                for (int round = 0; round < rounds; round++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < perRound; i++) {
                        long t = System.nanoTime();
                        pipeline.generate(request.withSeed(i), ProgressListener.NONE);
                        direct.add((System.nanoTime() - t) / 1e9);
                    }
                    double d = (System.nanoTime() - start) / 1e9;
                    List<Future<?>> done = new ArrayList<>();
                    start = System.nanoTime();
                    for (int i = 0; i < perRound; i++) {
                        int seed = i;
                        done.add(pool.submit(() -> {
                            long t = System.nanoTime();
                            post(http, url, seed, steps);
                            served.add((System.nanoTime() - t) / 1e9);
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    log.printf(Locale.ROOT, "round %d: direct %.2f images/s, served %.2f images/s, overhead %.1f %%%n",
                            round + 1, perRound / d, perRound / s, 100 * (1 - d / s));
                    log.flush();
                    directSeconds += d;
                    servedSeconds += s;
                }
            } finally {
                pool.shutdown();
            }
        }
        int total = perRound * rounds;
        double directRate = total / directSeconds;
        double servedRate = total / servedSeconds;
        log.printf(Locale.ROOT, "direct library calls: %d images in %.1f s, %.2f images/s, latency p50 %.3f s, p95 %.3f s%n",
                total, directSeconds, directRate, percentile(direct, 0.5), percentile(direct, 0.95));
        log.printf(Locale.ROOT, "through the server (%d clients): %.1f s, %.2f images/s, latency p50 %.3f s, p95 %.3f s%n",
                clients, servedSeconds, servedRate, percentile(served, 0.5), percentile(served, 0.95));
        log.printf(Locale.ROOT, "server overhead: %.1f %% of throughput%n", 100 * (1 - servedRate / directRate));
        log.printf(Locale.ROOT, "memory (RSS): peak %.2f GiB%n", Timings.peakRss() / (double) (1L << 30));
        return new double[] {directRate, servedRate};
    }

    private static void post(HttpClient http, String url, int seed, int steps) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"prompt\": \"a small cat\", \"steps\": " + steps + ", \"seed\": " + seed + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the server answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
