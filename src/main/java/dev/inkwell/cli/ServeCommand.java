package dev.inkwell.cli;

import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.server.InkwellServer;
import dev.inkwell.storybook.StorybookModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inkwell serve}: AUTOMATIC1111's HTTP API over the loaded models. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a web page (at /), AUTOMATIC1111's HTTP API (txt2img, img2img, samplers, sd-models, options,",
            "progress, interrupt) and story jobs with live events (/api/v1, described at /openapi.json) over the given",
            "models (default: the embedded storybook model). Loopback only unless --api-key is set."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7860", description = "Port (default: ${DEFAULT-VALUE}, A1111's).")
    int port;

    @Option(names = "--model", paramLabel = "PATH", description = "A model to serve; repeat for several (the first is the default).")
    List<Path> models = new ArrayList<>();

    @picocli.CommandLine.Mixin
    AdapterOptions adapterOptions;

    @picocli.CommandLine.Mixin
    PrecisionOption precisionOption;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' (required off loopback).")
    String apiKey;

    @Option(names = "--queue", defaultValue = "16", description = "Jobs that may wait per model; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-size", defaultValue = "1024", paramLabel = "PX", description = "Largest width or height (default: ${DEFAULT-VALUE}).")
    int maxSize;

    @Option(names = "--max-steps", defaultValue = "150", description = "Most steps a request may ask (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-batch", defaultValue = "8", description = "Largest batch_size and n_iter (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, not " + port);
        }
        InkwellServer.Settings settings = new InkwellServer.Settings(host, port, apiKey, queue, maxSize, maxSteps, maxBatch,
                64L * 1024 * 1024);
        for (Path m : models) {
            if (!Files.exists(m)) {
                throw new IllegalArgumentException("model not found: " + m);
            }
        }
        List<dev.inkwell.adapter.Adapter> adapters = adapterOptions.read();
        Map<String, List<String>> tokens = new LinkedHashMap<>();
        for (int i = 0; i < adapters.size(); i++) {
            tokens.put(adapterOptions.folders.get(i).getFileName().toString(), List.copyOf(adapters.get(i).tokens().keySet()));
        }
        dev.inkwell.pipeline.LoadOptions options = dev.inkwell.pipeline.LoadOptions.DEFAULT.withAdapters(adapters).withGenerationOnly();
        Map<String, StableDiffusion> loaded = new LinkedHashMap<>();
        if (models.isEmpty()) {
            loaded.put(StorybookModel.NAME, StableDiffusion.load(StorybookModel.folder(), precisionOption.precision, options));
        }
        for (Path m : models) {
            String name = m.getFileName().toString();
            if (loaded.containsKey(name)) {
                throw new IllegalArgumentException("two models are named " + name + "; give distinct files");
            }
            loaded.put(name, StableDiffusion.load(m, precisionOption.precision, options));
        }
        InkwellServer server = new InkwellServer(loaded, tokens, settings);
        int bound = server.start();
        spec.commandLine().getOut().println("serving " + server.models() + " on http://" + host + ":" + bound
                + " (AUTOMATIC1111 API under /sdapi/v1)");
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
