package dev.inkwell.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.image.Images;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.InfoText;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.story.Story;
import dev.inkwell.story.StoryFrame;
import dev.inkwell.story.StoryManifest;
import dev.inkwell.story.StorySettings;
import dev.inkwell.story.StoryStrip;
import dev.inkwell.story.StoryTeller;
import dev.inkwell.story.SvrMode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/** Inkwell's own story jobs: the request, and the run that streams its frames. */
final class StoryApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most frames one story may have. */
    static final int MAX_FRAMES = 16;

    /** A parsed story request. */
    record Request(Story story, StorySettings settings, GenerationRequest generation, List<String> negatives) {}

    private StoryApi() {}

    /** @param defaults the model's story defaults ({@link StoryTeller#defaults}), which the body's fields replace */
    static Request parse(JsonNode body, GenerationRequest defaults, A1111.Limits limits) {
        if (body == null || !body.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        JsonNode id = body.get("id_prompt");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new BadRequest("id_prompt", "the identity prompt is required, a string");
        }
        JsonNode list = body.get("frames");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_FRAMES) {
            throw new BadRequest("frames", "a list of 1 to " + MAX_FRAMES + " frame prompts is required");
        }
        List<String> frames = new ArrayList<>();
        for (JsonNode f : list) {
            if (!f.isTextual() || f.asText().isBlank()) {
                throw new BadRequest("frames", "every frame prompt must be a non-empty string");
            }
            frames.add(f.asText());
        }
        StorySettings settings = StorySettings.defaults();
        if (body.hasNonNull("window")) {
            settings = settings.withWindow(A1111.integer(body, "window", 0, 1, MAX_FRAMES));
        }
        if (body.hasNonNull("svr_mode")) {
            try {
                settings = settings.withSvrMode(SvrMode.parse(A1111.text(body, "svr_mode", "")));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("svr_mode", e.getMessage());
            }
        }
        if (body.hasNonNull("ipca")) {
            if (!body.get("ipca").isBoolean()) {
                throw new BadRequest("ipca", "must be true or false");
            }
            settings = settings.withIpca(body.get("ipca").asBoolean(), settings.ipcaDropout());
        }
        GenerationRequest generation = defaults;
        generation = generation.withSteps(A1111.integer(body, "steps", generation.steps(), 1, limits.maxSteps()))
                .withGuidance(A1111.number(body, "guidance", generation.guidance(), 1.0001, GenerationRequest.MAX_GUIDANCE));
        long seed = body.hasNonNull("seed") ? A1111.longInteger(body, "seed") : -1;
        if (seed < -1) {
            throw new BadRequest("seed", "must be -1 (random) or from 0, not " + seed);
        }
        generation = generation.withSeed(seed == -1 ? ThreadLocalRandom.current().nextLong(1L << 32) : seed);
        String sampler = A1111.text(body, "sampler_name", null);
        SchedulerKind scheduler = Samplers.of(sampler, A1111.text(body, "scheduler", null));
        if (scheduler != null) {
            generation = generation.withScheduler(scheduler);
        }
        String negative = A1111.text(body, "negative_prompt", "");
        try {
            return new Request(new Story(id.asText(), frames), settings, generation, negative.isEmpty() ? null : List.of(negative));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(422, e.getMessage());
        }
    }

    /** Tells the story on the worker's thread, sending each step and frame to the job's streams. */
    static void run(StoryJob job, Request r, ModelWorker worker, String modelName) throws Exception {
        if (job.cancelRequested()) {
            return;
        }
        job.running();
        job.emit("started", "{\"frames\": " + job.frameCount() + "}");
        long start = System.nanoTime();
        TextToImage pipeline = new TextToImage(worker.model());
        SchedulerKind ran = r.generation().scheduler() != null ? r.generation().scheduler() : worker.model().defaultScheduler();
        InfoText.Model model = InfoText.Model.of(modelName, worker.model());
        List<String> files = new ArrayList<>();
        try {
            List<StoryFrame> frames = new StoryTeller(pipeline).tell(r.story(), r.settings(), r.generation(), r.negatives(), frame -> {
                String info = InfoText.of(r.generation().withPrompt(frame.plan().prompt(), frame.negativePrompt()), 0, ran,
                        r.generation().seed(), model);
                try {
                    job.addFrame(Images.pngBytes(frame.image(), Map.of("parameters", info)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                int n = frame.index() + 1;
                files.add("frames/" + n);
                job.emit("frame", "{\"index\": " + n + ", \"url\": \"/api/v1/jobs/" + job.id() + "/frames/" + n + "\"}");
            }, (frame, step, steps) -> {
                if (job.cancelRequested() || worker.interrupted()) {
                    throw new CancellationException();
                }
                worker.onStep(frame * steps + step, job.frameCount() * steps);
                job.emit("progress", "{\"frame\": " + (frame + 1) + ", \"step\": " + step + ", \"steps\": " + steps
                        + ", \"frames\": " + job.frameCount() + "}");
            });
            List<BufferedImage> images = frames.stream().map(StoryFrame::image).toList();
            byte[] strip = Images.pngBytes(StoryStrip.of(images, r.story().frames()), Map.of());
            String manifest = StoryManifest.of(modelName, r.story(), r.settings(), r.generation(), ran, frames, files, "strip", null,
                    (System.nanoTime() - start) / 1e9);
            job.finish(strip, manifest);
        } catch (CancellationException e) {
            job.end(StoryJob.State.CANCELLED, null);
        } catch (RuntimeException e) {
            job.end(StoryJob.State.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The job's status as JSON. */
    static ObjectNode status(StoryJob job) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", job.id());
        o.put("state", job.state().name().toLowerCase(java.util.Locale.ROOT));
        o.put("frames_done", job.frames().size());
        o.put("frames", job.frameCount());
        var urls = o.putArray("frame_urls");
        for (int i = 1; i <= job.frames().size(); i++) {
            urls.add("/api/v1/jobs/" + job.id() + "/frames/" + i);
        }
        if (job.strip() != null) {
            o.put("strip_url", "/api/v1/jobs/" + job.id() + "/strip");
            o.put("manifest_url", "/api/v1/jobs/" + job.id() + "/manifest");
        }
        o.put("events_url", "/api/v1/jobs/" + job.id() + "/events");
        if (job.error() != null) {
            o.put("error", job.error());
        }
        return o;
    }
}
