package dev.inkwell.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.InfoText;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.story.StoryTeller;
import dev.inkwell.storybook.StorybookModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * {@code inkwell serve}: AUTOMATIC1111's HTTP API (the subset Inkwell can honour) over the loaded
 * models, each behind its own worker and bounded queue. Models come only from the list given at
 * start; nothing a client sends reaches the file system.
 */
public final class InkwellServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param apiKey {@code null} for none; else every request needs {@code Authorization: Bearer KEY}
     * @param queue jobs that may wait per model before new ones get 429
     */
    public record Settings(String host, int port, String apiKey, int queue, int maxSize, int maxSteps, int maxBatch,
            long maxBodyBytes) {
        public Settings {
            if (queue < 1 || maxSize < 8 || maxSteps < 1 || maxBatch < 1 || maxBodyBytes < 1024) {
                throw new IllegalArgumentException("queue, size, steps, batch and body limits must be positive");
            }
            if (apiKey == null && !isLoopback(host)) {
                throw new IllegalArgumentException("serving on " + host + " (not this machine alone) needs --api-key");
            }
        }

        static boolean isLoopback(String host) {
            return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        }
    }

    private final Settings settings;
    /** Generation requests whose answers are not yet written. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, List<String>> adapters;
    private final Map<String, ModelWorker> workers = new LinkedHashMap<>();
    /** Story jobs by id, oldest first; finished ones beyond {@link #KEPT_JOBS} are dropped. */
    private final Map<String, StoryJob> jobs = new LinkedHashMap<>();
    private static final int KEPT_JOBS = 64;
    private volatile String current;
    private final Javalin app;

    /** @param models name to loaded model, in the order given; the first is the default */
    public InkwellServer(Map<String, dev.inkwell.pipeline.StableDiffusion> models, Settings settings) {
        this(models, Map.of(), settings);
    }

    /**
     * @param adapters the adapters every model was loaded with, by folder name, to their tokens; prompts
     *     may use those tokens and no others
     */
    public InkwellServer(Map<String, dev.inkwell.pipeline.StableDiffusion> models, Map<String, List<String>> adapters,
            Settings settings) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the server needs a model");
        }
        this.settings = settings;
        this.adapters = Map.copyOf(adapters);
        models.forEach((name, sd) -> workers.put(name, new ModelWorker(name, sd, settings.queue())));
        this.current = models.keySet().iterator().next();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
        });
        app.before(this::authorize);
        app.post("/sdapi/v1/txt2img", ctx -> generate(ctx, false));
        app.post("/sdapi/v1/img2img", ctx -> generate(ctx, true));
        app.get("/sdapi/v1/samplers", this::samplers);
        app.get("/sdapi/v1/sd-models", this::models);
        app.get("/sdapi/v1/options", this::options);
        app.post("/sdapi/v1/options", this::setOptions);
        app.get("/sdapi/v1/progress", this::progress);
        app.post("/sdapi/v1/interrupt", ctx -> {
            workers.get(current).interrupt();
            ctx.json(JSON.createObjectNode());
        });
        app.post("/api/v1/stories", this::startStory);
        app.get("/api/v1/adapters", ctx -> {
            ArrayNode list = JSON.createArrayNode();
            this.adapters.forEach((name, tokens) -> {
                ObjectNode a = list.addObject();
                a.put("name", name);
                a.set("tokens", JSON.valueToTree(tokens));
            });
            ctx.json(list);
        });
        app.get("/api/v1/jobs/{id}", ctx -> ctx.json(StoryApi.status(job(ctx))));
        app.delete("/api/v1/jobs/{id}", ctx -> {
            StoryJob job = job(ctx);
            job.cancel();
            ctx.json(StoryApi.status(job));
        });
        app.get("/api/v1/jobs/{id}/frames/{n}", ctx -> {
            StoryJob job = job(ctx);
            int n = parseIndex(ctx.pathParam("n"));
            if (n < 1 || n > job.frames().size()) {
                throw new BadRequest(404, "job " + job.id() + " has no frame " + ctx.pathParam("n") + " (yet)");
            }
            ctx.contentType("image/png").result(job.frames().get(n - 1));
        });
        app.get("/api/v1/jobs/{id}/strip", ctx -> {
            StoryJob job = job(ctx);
            if (job.strip() == null) {
                throw new BadRequest(404, "job " + job.id() + " has no strip yet (" + job.state().name().toLowerCase() + ")");
            }
            ctx.contentType("image/png").result(job.strip());
        });
        app.get("/api/v1/jobs/{id}/manifest", ctx -> {
            StoryJob job = job(ctx);
            if (job.manifest() == null) {
                throw new BadRequest(404, "job " + job.id() + " has no manifest yet");
            }
            ctx.contentType("application/json").result(job.manifest());
        });
        app.sse("/api/v1/jobs/{id}/events", client -> job(client.ctx()).listen(client));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(resource("openapi.json")));
        app.get("/", ctx -> ctx.html(resource("index.html")));
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(JsonProcessingException.class, (e, ctx) -> error(ctx, 400, "malformed JSON: " + e.getOriginalMessage()));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, e.getMessage() == null ? e.toString() : e.getMessage()));
        app.error(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path()));
        app.error(413, ctx -> error(ctx, 413, "the body is larger than " + settings.maxBodyBytes() + " bytes"));
    }

    /** Starts listening; returns the port (the given one, or the one chosen for port 0). */
    public int start() {
        app.start(settings.host(), settings.port());
        return app.port();
    }

    private void authorize(Context ctx) {
        if (settings.apiKey() == null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.equals("Bearer " + settings.apiKey())) {
            throw new BadRequest(401, "missing or wrong API key (Authorization: Bearer KEY)");
        }
    }

    private void generate(Context ctx, boolean img2img) throws Exception {
        inFlight.incrementAndGet();
        try {
            generateAnswered(ctx, img2img);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Runs the job and writes the answer to the client before returning, so a shutdown waiting on {@link #inFlight} loses none. */
    private void generateAnswered(Context ctx, boolean img2img) throws Exception {
        ModelWorker worker = workers.get(current);
        JsonNode body = JSON.readTree(ctx.body());
        A1111.Job job = A1111.parse(body, img2img, worker.model().nativeSize(),
                new A1111.Limits(settings.maxSize(), settings.maxSteps(), settings.maxBatch()));
        GenerationRequest first = job.batches().get(0);
        checkTokens(java.util.Arrays.asList(first.prompts().get(0).text(), first.negativePrompt(0)), "prompt");
        Future<ObjectNode> result = worker.submit(() -> A1111.run(job, worker, worker.name()));
        try {
            byte[] answer = JSON.writeValueAsBytes(result.get());
            ctx.contentType("application/json");
            ctx.res().setContentLength(answer.length);
            ctx.res().getOutputStream().write(answer);
            ctx.res().flushBuffer();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new BadRequest(422, cause.getMessage());
            }
            throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
        }
    }

    private void startStory(Context ctx) throws Exception {
        ModelWorker worker = workers.get(current);
        GenerationRequest defaults = StoryTeller.defaults(worker.model().family(),
                current.equals(StorybookModel.NAME) ? StorybookModel.request("") : GenerationRequest.of(""));
        StoryApi.Request request = StoryApi.parse(JSON.readTree(ctx.body()), defaults,
                new A1111.Limits(settings.maxSize(), settings.maxSteps(), settings.maxBatch()));
        List<String> texts = new java.util.ArrayList<>(request.story().frames());
        texts.add(request.story().identity());
        checkTokens(texts, "id_prompt");
        StoryJob job = new StoryJob(java.util.UUID.randomUUID().toString(), request.story().size());
        worker.submit(() -> {
            StoryApi.run(job, request, worker, worker.name());
            return null;
        });
        synchronized (jobs) {
            jobs.put(job.id(), job);
            var it = jobs.values().iterator();
            while (jobs.size() > KEPT_JOBS && it.hasNext()) {
                if (it.next().finished()) {
                    it.remove();
                }
            }
        }
        ctx.status(202).json(StoryApi.status(job));
    }

    /** A learned token no served adapter brings is refused, not read as text. */
    private void checkTokens(List<String> texts, String field) {
        java.util.Set<String> known = new java.util.HashSet<>();
        adapters.values().forEach(known::addAll);
        String unknown = dev.inkwell.adapter.Adapters.unknownToken(texts, known);
        if (unknown != null) {
            throw new BadRequest(field, "uses " + unknown + ", which no adapter of this server brings"
                    + (known.isEmpty() ? "" : " (it has " + String.join(", ", known) + ")"));
        }
    }

    private StoryJob job(Context ctx) {
        synchronized (jobs) {
            StoryJob job = jobs.get(ctx.pathParam("id"));
            if (job == null) {
                throw new BadRequest(404, "no job " + ctx.pathParam("id") + " (finished jobs are kept for the last " + KEPT_JOBS + ")");
            }
            return job;
        }
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String resource(String name) throws java.io.IOException {
        try (var in = InkwellServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new BadRequest(404, "this build has no " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private void samplers(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (SchedulerKind kind : SchedulerKind.values()) {
            ObjectNode s = list.addObject();
            s.put("name", InfoText.samplerName(kind));
            s.putArray("aliases").add(kind.cliName());
            s.putObject("options");
        }
        ctx.json(list);
    }

    private void models(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (String name : workers.keySet()) {
            ObjectNode m = list.addObject();
            m.put("title", name);
            m.put("model_name", name);
            m.putNull("hash");
            m.putNull("sha256");
            m.put("filename", name);
            m.putNull("config");
        }
        ctx.json(list);
    }

    private void options(Context ctx) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sd_model_checkpoint", current);
        o.put("CLIP_stop_at_last_layers", 1);
        ctx.json(o);
    }

    private void setOptions(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        if (body == null || !body.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        JsonNode model = body.get("sd_model_checkpoint");
        if (model != null) {
            if (!model.isTextual() || !workers.containsKey(model.asText())) {
                throw new BadRequest("sd_model_checkpoint", "unknown model " + model + "; the server has " + workers.keySet());
            }
            current = model.asText();
        }
        ctx.json(JSON.createObjectNode());
    }

    private void progress(Context ctx) {
        ModelWorker worker = workers.get(current);
        double[] p = worker.progress();
        ObjectNode o = JSON.createObjectNode();
        o.put("progress", p[0]);
        o.put("eta_relative", p[1]);
        ObjectNode state = o.putObject("state");
        state.put("skipped", false);
        state.put("interrupted", worker.interrupted());
        state.put("job", worker.busy() ? "txt2img" : "");
        state.put("job_count", (worker.busy() ? 1 : 0) + worker.waiting());
        state.put("sampling_step", (int) Math.round(p[0] * 100));
        state.put("sampling_steps", 100);
        o.putNull("current_image");
        o.put("textinfo", worker.busy() ? "generating" : "");
        ctx.json(o);
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        ctx.status(HttpStatus.forStatus(status));
        if (status == 429) {
            ctx.header("Retry-After", "5");
        }
        ctx.json(o);
    }

    /** The loaded models' names. */
    public List<String> models() {
        return List.copyOf(workers.keySet());
    }

    @Override
    /**
     * Shuts down gracefully: no new jobs, the accepted ones finish (or, after a grace period, the
     * running one stops and answers with what it has), their answers are sent, then the server stops
     * and the models are freed.
     */
    public void close() {
        workers.values().forEach(w -> w.drain(30));
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        workers.values().forEach(ModelWorker::close);
    }
}
