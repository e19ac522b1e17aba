package dev.inkwell.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.image.Images;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.tensor.Precision;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The A1111-compatible API through a real HTTP client, on the embedded storybook model. */
class InkwellServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InkwellServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = new InkwellServer(Map.of(StorybookModel.NAME, StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)),
                new InkwellServer.Settings("127.0.0.1", 0, null, 2, 256, 60, 4, 64 * 1024));
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static BufferedImage image(String base64) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    @Test
    void txt2imgAnswersAsAutomatic1111AndEqualsTheLibrary() throws Exception {
        HttpResponse<String> r = send("POST", "/sdapi/v1/txt2img",
                "{\"prompt\": \"a red fox in the snow\", \"seed\": 5, \"steps\": 10, \"cfg_scale\": 6, \"sampler_name\": \"Euler a\","
                        + " \"batch_size\": 2, \"n_iter\": 2}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(4, body.get("images").size());
        assertEquals("a red fox in the snow", body.get("parameters").get("prompt").asText());
        JsonNode info = JSON.readTree(body.get("info").asText());
        assertEquals(5, info.get("seed").asLong());
        assertEquals("[5,6,7,8]", info.get("all_seeds").toString());
        assertEquals("Euler a", info.get("sampler_name").asText());
        byte[] png = Base64.getDecoder().decode(body.get("images").get(2).asText());
        Path file = Files.createTempFile("inkwell", ".png");
        Files.write(file, png);
        assertTrue(Images.readPngText(file).get("parameters").startsWith("a red fox in the snow\nSteps: 10, Sampler: Euler a, CFG scale: 6, Seed: 7"),
                Images.readPngText(file).get("parameters"));
        Files.delete(file);

        try (StableDiffusion sd = StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)) {
            GenerationRequest alone = GenerationRequest.of("a red fox in the snow").withBatch(2).withSeed(7).withSteps(10)
                    .withGuidance(6).withScheduler(SchedulerKind.EULER_A);
            BufferedImage expected = new TextToImage(sd).generate(alone, ProgressListener.NONE).images().get(0);
            BufferedImage served = image(body.get("images").get(2).asText());
            assertArrayEquals(expected.getRGB(0, 0, 64, 64, null, 0, 64), served.getRGB(0, 0, 64, 64, null, 0, 64),
                    "the served image equals the same request run in the library");
        }
    }

    @Test
    void badInputGetsA4xxNamingTheFieldAndTheServerKeepsServing() throws Exception {
        String[][] cases = {
            {"{\"prompt\": \"x\", \"steps\": \"ten\"}", "422", "steps"},
            {"{\"prompt\": \"x\", \"width\": 60}", "422", "width"},
            {"{\"prompt\": \"x\", \"height\": 100000}", "422", "height"},
            {"{\"prompt\": \"x\", \"cfg_scale\": 1e400}", "422", "cfg_scale"},
            {"{\"prompt\": \"x\", \"cfg_scale\": NaN}", "400", "malformed JSON"},
            {"{\"prompt\": \"x\", \"sampler_name\": \"Heun\"}", "422", "sampler_name"},
            {"{\"prompt\": \"x\", \"steps\": 1000}", "422", "steps"},
            {"{\"prompt\": \"x\", \"batch_size\": 99}", "422", "batch_size"},
            {"{\"prompt\": 5}", "422", "prompt"},
            {"{\"prompt\": \"x\", \"seed\": 1.5}", "422", "seed"},
            {"[1, 2]", "400", "JSON object"},
            {"{\"prompt\": ", "400", "malformed JSON"},
            {"{\"prompt\": \"" + "x".repeat(70 * 1024) + "\"}", "413", "larger than"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = send("POST", "/sdapi/v1/txt2img", c[0]);
            assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0].substring(0, Math.min(60, c[0].length())) + " -> " + r.body());
            String error = JSON.readTree(r.body()).get("error").asText();
            assertTrue(error.contains(c[2]), error);
        }
        HttpResponse<String> img2img = send("POST", "/sdapi/v1/img2img", "{\"prompt\": \"x\", \"init_images\": [\"not base64!\"]}");
        assertEquals(422, img2img.statusCode());
        assertTrue(JSON.readTree(img2img.body()).get("error").asText().contains("init_images"));
        HttpResponse<String> missing = send("GET", "/sdapi/v1/nothing", null);
        assertEquals(404, missing.statusCode());
        assertTrue(JSON.readTree(missing.body()).get("error").asText().contains("no such endpoint"));
        assertEquals(200, send("GET", "/sdapi/v1/samplers", null).statusCode(), "still serving");
    }

    @Test
    void samplersModelsOptionsProgressAndImg2img() throws Exception {
        JsonNode samplers = JSON.readTree(send("GET", "/sdapi/v1/samplers", null).body());
        assertTrue(samplers.toString().contains("\"name\":\"DPM++ 2M Karras\"") && samplers.toString().contains("\"name\":\"Euler a\""));
        JsonNode models = JSON.readTree(send("GET", "/sdapi/v1/sd-models", null).body());
        assertEquals(StorybookModel.NAME, models.get(0).get("title").asText());
        assertEquals(StorybookModel.NAME, JSON.readTree(send("GET", "/sdapi/v1/options", null).body()).get("sd_model_checkpoint").asText());
        HttpResponse<String> unknown = send("POST", "/sdapi/v1/options", "{\"sd_model_checkpoint\": \"../../etc/passwd\"}");
        assertEquals(422, unknown.statusCode());
        assertTrue(unknown.body().contains("sd_model_checkpoint"));
        assertEquals(200, send("POST", "/sdapi/v1/options", "{\"sd_model_checkpoint\": \"" + StorybookModel.NAME + "\"}").statusCode());
        JsonNode progress = JSON.readTree(send("GET", "/sdapi/v1/progress", null).body());
        assertEquals(0.0, progress.get("progress").asDouble());
        assertTrue(progress.has("eta_relative") && progress.get("state").has("interrupted"));
        assertEquals(200, send("POST", "/sdapi/v1/interrupt", null).statusCode());

        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(init, "png", png);
        HttpResponse<String> r = send("POST", "/sdapi/v1/img2img", "{\"prompt\": \"a cat\", \"seed\": 3, \"steps\": 4,"
                + " \"denoising_strength\": 0.5, \"init_images\": [\"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode info = JSON.readTree(JSON.readTree(r.body()).get("info").asText());
        assertEquals(0.5, info.get("denoising_strength").asDouble());
        assertEquals(64, image(JSON.readTree(r.body()).get("images").get(0).asText()).getWidth());
    }

    @Test
    void anApiKeyIsRequiredWhenSetAndOffLoopback() throws Exception {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new InkwellServer.Settings("0.0.0.0", 0, null, 2, 256, 60, 4, 64 * 1024));
        try (InkwellServer locked = new InkwellServer(
                Map.of(StorybookModel.NAME, StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)),
                new InkwellServer.Settings("127.0.0.1", 0, "s3cret", 2, 256, 60, 4, 64 * 1024))) {
            String url = "http://127.0.0.1:" + locked.start() + "/sdapi/v1/samplers";
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            assertTrue(JSON.readTree(none.body()).get("error").asText().contains("API key"));
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> right = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer s3cret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, right.statusCode());
        }
    }

    @Test
    void aFullQueueAnswers429AndInterruptStopsTheRunningJob() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> long_ = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/sdapi/v1/txt2img")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\": \"a fox\", \"steps\": 60, \"batch_size\": 4, \"n_iter\": 4, \"seed\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (JSON.readTree(send("GET", "/sdapi/v1/progress", null).body()).get("progress").asDouble() == 0) {
            assertTrue(System.nanoTime() < deadline, "the long job never started");
            Thread.sleep(20);
        }
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> more = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/sdapi/v1/txt2img")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a cat\", \"steps\": 2}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> refused = null;
        for (var f : more) {
            HttpResponse<String> r = f.isDone() ? f.get() : null;
            if (r == null) {
                Thread.sleep(200);
                r = f.isDone() ? f.get() : null;
            }
            if (r != null && r.statusCode() == 429) {
                refused = r;
            }
        }
        assertTrue(refused != null, "the third waiting job is refused (queue 2)");
        assertTrue(refused.headers().firstValue("Retry-After").isPresent() && refused.body().contains("queue"), refused.body());
        assertEquals(200, send("POST", "/sdapi/v1/interrupt", null).statusCode());
        HttpResponse<String> stopped = long_.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, stopped.statusCode());
        JsonNode info = JSON.readTree(JSON.readTree(stopped.body()).get("info").asText());
        assertTrue(info.get("interrupted").asBoolean(), info.toString());
        assertTrue(JSON.readTree(stopped.body()).get("images").size() < 16, "stopped before the last batch");
        for (var f : more) {
            int status = f.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode();
            assertTrue(status == 200 || status == 429, "every other job ends: " + status);
        }
    }

    /** 200 small jobs from 20 concurrent clients that retry on 429: none lost, none duplicated, each equal to its run alone. */
    @Test
    void underLoadNoJobIsLostOrDuplicatedAndEachEqualsItsRunAlone() throws Exception {
        int clients = 20;
        int each = 10;
        java.util.concurrent.ConcurrentHashMap<Long, String> served = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                for (int j = 0; j < each; j++) {
                    long seed = 1000 + client * each + j;
                    String body = "{\"prompt\": \"a small cat\", \"steps\": 1, \"seed\": " + seed + "}";
                    while (true) {
                        HttpResponse<String> r = send("POST", "/sdapi/v1/txt2img", body);
                        if (r.statusCode() == 429) {
                            refusals.incrementAndGet();
                            Thread.sleep(20);
                            continue;
                        }
                        assertEquals(200, r.statusCode(), r.body());
                        JsonNode json = JSON.readTree(r.body());
                        long got = JSON.readTree(json.get("info").asText()).get("seed").asLong();
                        assertEquals(seed, got);
                        assertEquals(null, served.put(seed, json.get("images").get(0).asText()), "duplicated " + seed);
                        break;
                    }
                }
                return null;
            }));
        }
        for (var f : done) {
            f.get(300, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(clients * each, served.size(), "none lost");
        try (StableDiffusion sd = StableDiffusion.load(StorybookModel.folder(), Precision.FLOAT32)) {
            TextToImage pipeline = new TextToImage(sd);
            for (long seed : served.keySet()) {
                BufferedImage expected = pipeline.generate(GenerationRequest.of("a small cat").withSteps(1).withGuidance(7)
                        .withSeed(seed), ProgressListener.NONE).images().get(0);
                assertArrayEquals(expected.getRGB(0, 0, 64, 64, null, 0, 64),
                        image(served.get(seed)).getRGB(0, 0, 64, 64, null, 0, 64), "seed " + seed);
            }
        }
    }

    @Test
    void aStoryJobStreamsItsFramesAndEndsWithTheStripAndManifest() throws Exception {
        HttpResponse<String> started = send("POST", "/api/v1/stories", "{\"id_prompt\": \"a drawing of a cat\", \"frames\":"
                + " [\"sitting in the snow\", \"jumping on the beach\", \"sleeping in a forest\"], \"steps\": 3, \"seed\": 7}");
        assertEquals(202, started.statusCode(), started.body());
        JsonNode job = JSON.readTree(started.body());
        String id = job.get("id").asText();
        HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(HttpRequest.newBuilder(URI.create(base + job.get("events_url").asText()))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        java.util.List<String> events = new java.util.ArrayList<>();
        String[] last = {null};
        stream.body().takeWhile(line -> !"done".equals(last[0])).forEach(line -> {
            if (line.startsWith("event:")) {
                last[0] = line.substring(6).trim();
                events.add(last[0]);
            }
        });
        java.util.List<String> order = events.stream().filter(e -> !e.equals("progress")).toList();
        assertEquals(java.util.List.of("started", "frame", "frame", "frame", "done"), order);
        assertTrue(events.indexOf("progress") < events.indexOf("frame"), "steps are reported before the first frame");
        JsonNode status = JSON.readTree(send("GET", "/api/v1/jobs/" + id, null).body());
        assertEquals("done", status.get("state").asText());
        assertEquals(3, status.get("frame_urls").size());
        HttpResponse<byte[]> frame = HTTP.send(HttpRequest.newBuilder(URI.create(base + status.get("frame_urls").get(0).asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(64, ImageIO.read(new ByteArrayInputStream(frame.body())).getWidth());
        HttpResponse<byte[]> strip = HTTP.send(HttpRequest.newBuilder(URI.create(base + status.get("strip_url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(ImageIO.read(new ByteArrayInputStream(strip.body())).getWidth() > 3 * 64);
        JsonNode manifest = JSON.readTree(send("GET", status.get("manifest_url").asText(), null).body());
        assertEquals("a drawing of a cat", manifest.get("id_prompt").asText());

        HttpResponse<String> bad = send("POST", "/api/v1/stories", "{\"id_prompt\": \"a cat\", \"frames\": []}");
        assertEquals(422, bad.statusCode());
        assertTrue(JSON.readTree(bad.body()).get("error").asText().contains("frames"));
        assertEquals(404, send("GET", "/api/v1/jobs/nope", null).statusCode());
    }

    @Test
    void aStoryCanBeCancelledMidDenoise() throws Exception {
        HttpResponse<String> started = send("POST", "/api/v1/stories", "{\"id_prompt\": \"a fox\", \"frames\": [\"a\", \"b\", \"c\","
                + " \"d\", \"e\", \"f\", \"g\", \"h\"], \"steps\": 60}");
        String id = JSON.readTree(started.body()).get("id").asText();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!JSON.readTree(send("GET", "/api/v1/jobs/" + id, null).body()).get("state").asText().equals("running")) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(20);
        }
        assertEquals(200, send("DELETE", "/api/v1/jobs/" + id, null).statusCode());
        JsonNode status;
        do {
            Thread.sleep(50);
            status = JSON.readTree(send("GET", "/api/v1/jobs/" + id, null).body());
            assertTrue(System.nanoTime() < deadline, status.toString());
        } while (status.get("state").asText().equals("running"));
        assertEquals("cancelled", status.get("state").asText());
        assertTrue(status.get("frames_done").asInt() < 8);
    }

    @Test
    void thePageAndTheOpenApiDescriptionAreServedFromTheJar() throws Exception {
        HttpResponse<String> page = send("GET", "/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Inkwell</title>") && !page.body().contains("http://") && !page.body().contains("https://"),
                "no external resources");
        JsonNode api = JSON.readTree(send("GET", "/openapi.json", null).body());
        assertTrue(api.get("paths").has("/api/v1/stories") && api.get("paths").has("/sdapi/v1/txt2img"));
    }

    @Test
    void servedAdaptersAreListedAndTheirTokensUsable(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path adapter = Files.createDirectories(dir.resolve("dog"));
        Path p1 = dev.inkwell.testing.Goldens.reference("adapters/p1");
        Files.copy(p1.resolve(dev.inkwell.adapter.AdapterFiles.WEIGHTS), adapter.resolve(dev.inkwell.adapter.AdapterFiles.WEIGHTS));
        Files.copy(p1.resolve("new1.safetensors"), adapter.resolve("new1.safetensors"));
        var loaded = dev.inkwell.adapter.AdapterFiles.read(adapter);
        try (InkwellServer withAdapter = new InkwellServer(Map.of("sd15-tiny", StableDiffusion.load(
                dev.inkwell.testing.Goldens.model("sd15-tiny"), Precision.FLOAT32,
                dev.inkwell.pipeline.LoadOptions.DEFAULT.withAdapters(java.util.List.of(loaded)))),
                Map.of("dog", java.util.List.of("<new1>")), new InkwellServer.Settings("127.0.0.1", 0, null, 2, 256, 60, 4, 64 * 1024))) {
            String url = "http://127.0.0.1:" + withAdapter.start();
            JsonNode list = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/adapters")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("[{\"name\":\"dog\",\"tokens\":[\"<new1>\"]}]", list.toString());
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/sdapi/v1/txt2img")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a <new1> dog\", \"steps\": 2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/sdapi/v1/txt2img")).POST(
                    HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a <new2> dog\", \"steps\": 2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(422, unknown.statusCode());
            assertTrue(JSON.readTree(unknown.body()).get("error").asText().startsWith("prompt: uses <new2>"), unknown.body());
        }
    }

    @Test
    void shutdownLetsTheRunningJobAnswerAndRefusesNewOnes() throws Exception {
        InkwellServer closing = new InkwellServer(Map.of(StorybookModel.NAME, StableDiffusion.load(StorybookModel.folder(),
                Precision.FLOAT32)), new InkwellServer.Settings("127.0.0.1", 0, null, 2, 256, 100, 4, 64 * 1024));
        String url = "http://127.0.0.1:" + closing.start() + "/sdapi/v1/";
        var running = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url + "txt2img")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"prompt\": \"a fox\", \"steps\": 40, \"batch_size\": 4, \"seed\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + "progress")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("progress").asDouble() == 0) {
            assertTrue(System.nanoTime() < deadline, "the job never started");
            Thread.sleep(20);
        }
        Thread closer = new Thread(closing::close);
        closer.start();
        Thread.sleep(100);
        HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(URI.create(url + "txt2img")).POST(
                HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a cat\", \"steps\": 2}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, late.statusCode(), late.body());
        HttpResponse<String> answered = running.get(90, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode());
        assertEquals(4, JSON.readTree(answered.body()).get("images").size(), "the accepted job finished");
        closer.join(90_000);
        assertTrue(!closer.isAlive(), "close returned");
    }
}
