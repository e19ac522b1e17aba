package dev.inkwell.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.image.Images;
import dev.inkwell.pipeline.ConditioningStage;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.GenerationResult;
import dev.inkwell.pipeline.InfoText;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/**
 * AUTOMATIC1111's txt2img and img2img requests and responses: the same field names and response
 * shape ({@code images} as base64 PNGs with the {@code parameters} text chunk, {@code
 * parameters}, {@code info} as a JSON string), every field checked with an error naming it.
 */
final class A1111 {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server allows a request. */
    record Limits(int maxSize, int maxSteps, int maxBatch) {}

    /** A parsed request: the batches to run (A1111's n_iter of batch_size images) and what to echo. */
    record Job(List<GenerationRequest> batches, ObjectNode parameters, SchedulerKind scheduler, String sampler) {}

    private A1111() {}

    static Job parse(JsonNode body, boolean img2img, int nativeSize, Limits limits) {
        if (body == null || !body.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        String prompt = text(body, "prompt", "");
        String negative = text(body, "negative_prompt", "");
        int width = integer(body, "width", nativeSize, 8, limits.maxSize());
        int height = integer(body, "height", nativeSize, 8, limits.maxSize());
        if (width % 8 != 0) {
            throw new BadRequest("width", "must be a multiple of 8, not " + width);
        }
        if (height % 8 != 0) {
            throw new BadRequest("height", "must be a multiple of 8, not " + height);
        }
        int steps = integer(body, "steps", 50, 1, limits.maxSteps());
        double cfg = number(body, "cfg_scale", 7.0, 0, GenerationRequest.MAX_GUIDANCE);
        int batch = integer(body, "batch_size", 1, 1, limits.maxBatch());
        int iterations = integer(body, "n_iter", 1, 1, limits.maxBatch());
        long seed = body.has("seed") && !body.get("seed").isNull() ? longInteger(body, "seed") : -1;
        if (seed == -1) {
            seed = ThreadLocalRandom.current().nextLong(1L << 32);
        } else if (seed < 0) {
            throw new BadRequest("seed", "must be -1 (random) or from 0, not " + seed);
        }
        String sampler = text(body, "sampler_name", text(body, "sampler_index", null));
        SchedulerKind scheduler = Samplers.of(sampler, text(body, "scheduler", null));
        int clipSkip = 1;
        JsonNode overrides = body.get("override_settings");
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new BadRequest("override_settings", "must be an object");
            }
            clipSkip = integer(overrides, "CLIP_stop_at_last_layers", 1, 1, 12);
        }
        BufferedImage init = null;
        double strength = 1.0;
        if (img2img) {
            JsonNode images = body.get("init_images");
            if (images == null || !images.isArray() || images.isEmpty() || !images.get(0).isTextual()) {
                throw new BadRequest("init_images", "img2img needs a list with one base64 image");
            }
            init = decode(images.get(0).asText());
            strength = number(body, "denoising_strength", 0.75, 0, 1);
            if (strength == 0) {
                throw new BadRequest("denoising_strength", "must be above 0");
            }
        }
        List<GenerationRequest> batches = new ArrayList<>();
        try {
            for (int n = 0; n < iterations; n++) {
                batches.add(new GenerationRequest(Collections.nCopies(batch, Prompt.of(prompt)),
                        negative.isEmpty() ? null : Collections.nCopies(batch, negative), width, height, steps, cfg, null,
                        scheduler, seed + (long) n * batch, clipSkip, null, init, strength));
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequest(422, e.getMessage());
        }
        ObjectNode parameters = ((ObjectNode) body.deepCopy());
        parameters.remove("init_images");
        parameters.put("seed", seed);
        return new Job(batches, parameters, scheduler, sampler);
    }

    /** Runs the job's batches on {@code worker} (on its thread) and builds A1111's response. */
    static ObjectNode run(Job job, ModelWorker worker, String modelName) throws IOException {
        TextToImage pipeline = new TextToImage(worker.model());
        ArrayNode images = JSON.createArrayNode();
        List<Long> seeds = new ArrayList<>();
        List<String> infotexts = new ArrayList<>();
        SchedulerKind ran = null;
        int total = job.batches().size();
        for (int n = 0; n < total && !worker.interrupted(); n++) {
            GenerationRequest r = job.batches().get(n);
            int done = n;
            GenerationResult result = pipeline.generate(r, ConditioningStage.NONE,
                    (step, steps) -> worker.onStep(done * steps + step, total * steps), worker::interrupted);
            ran = result.scheduler();
            InfoText.Model model = InfoText.Model.of(modelName, worker.model());
            for (int i = 0; i < result.images().size(); i++) {
                String info = InfoText.of(r, i, result.scheduler(), result.seeds()[i], model);
                images.add(Base64.getEncoder().encodeToString(Images.pngBytes(result.images().get(i), Map.of("parameters", info))));
                seeds.add(result.seeds()[i]);
                infotexts.add(info);
            }
        }
        GenerationRequest first = job.batches().get(0);
        ObjectNode info = JSON.createObjectNode();
        info.put("prompt", first.prompts().get(0).text());
        info.set("all_prompts", JSON.valueToTree(Collections.nCopies(seeds.size(), first.prompts().get(0).text())));
        info.put("negative_prompt", first.negativePrompt(0) == null ? "" : first.negativePrompt(0));
        info.set("all_negative_prompts", JSON.valueToTree(Collections.nCopies(seeds.size(),
                first.negativePrompt(0) == null ? "" : first.negativePrompt(0))));
        info.put("seed", seeds.isEmpty() ? first.seed() : seeds.get(0));
        info.set("all_seeds", JSON.valueToTree(seeds));
        info.put("width", first.width());
        info.put("height", first.height());
        info.put("sampler_name", ran == null ? job.sampler() : InfoText.samplerName(ran));
        info.put("cfg_scale", first.guidance());
        info.put("steps", first.steps());
        info.put("batch_size", first.batchSize());
        info.put("clip_skip", first.clipSkip());
        info.put("sd_model_name", modelName);
        if (first.initImage() != null) {
            info.put("denoising_strength", first.strength());
        }
        info.set("infotexts", JSON.valueToTree(infotexts));
        info.put("interrupted", worker.interrupted());
        ObjectNode response = JSON.createObjectNode();
        response.set("images", images);
        response.set("parameters", job.parameters());
        response.put("info", JSON.writeValueAsString(info));
        return response;
    }

    private static BufferedImage decode(String base64) {
        String data = base64.startsWith("data:") && base64.contains(",") ? base64.substring(base64.indexOf(',') + 1) : base64;
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(data)));
            if (image == null) {
                throw new BadRequest("init_images", "the image is not a PNG, JPEG, BMP or GIF");
            }
            return image;
        } catch (IllegalArgumentException | IOException e) {
            throw new BadRequest("init_images", "not a base64 image (" + e.getMessage() + ")");
        }
    }

    static String text(JsonNode body, String field, String absent) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw new BadRequest(field, "must be a string");
        }
        return v.asText();
    }

    static int integer(JsonNode body, String field, int absent, int min, int max) {
        double d = number(body, field, absent, min, max);
        if (d != Math.rint(d)) {
            throw new BadRequest(field, "must be a whole number, not " + d);
        }
        return (int) d;
    }

    static long longInteger(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequest(field, "must be a whole number (-1 for random)");
        }
        return v.asLong();
    }

    static double number(JsonNode body, String field, double absent, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw new BadRequest(field, "must be a number");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw new BadRequest(field, "must be from " + min + " to " + max + ", not " + v.asText());
        }
        return d;
    }
}
