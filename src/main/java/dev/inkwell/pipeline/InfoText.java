package dev.inkwell.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.io.Sha256;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generation parameters in AUTOMATIC1111's "infotext" format, the {@code parameters} text
 * chunk of its PNGs, which tools across the ecosystem read back:
 * <pre>
 * prompt
 * Negative prompt: negative
 * Steps: 25, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: name, Precision: float32
 * </pre>
 * It records what produced the image and nothing that had no effect: no negative prompt without
 * guidance, no clip skip on SDXL, no seed where given initial noise replaced it (the noise's hash
 * instead). Values with a comma, colon or line break are quoted as JSON strings, as AUTOMATIC1111
 * does, and line breaks in prompts are written as spaces (the tokenizer reads them as spaces), so
 * a prompt cannot forge a line.
 */
public final class InfoText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InfoText() {}

    /**
     * The model that drew the image: the name recorded, its family (which settings apply) and the
     * precision it computed in.
     */
    public record Model(String name, ModelFamily family, Precision precision) {
        public static Model of(String name, StableDiffusion model) {
            return new Model(name, model.family(), model.precision());
        }
    }

    public static String of(GenerationRequest r, int image, SchedulerKind scheduler, long seed, Model model) {
        return of(r, image, scheduler, seed, model, Map.of());
    }

    /** With {@code extra} fields (name to value) after the usual ones, for what the request alone does not say. */
    public static String of(GenerationRequest r, int image, SchedulerKind scheduler, long seed, Model model,
            Map<String, String> extra) {
        StringBuilder s = new StringBuilder(oneLine(r.prompts().get(image).text()));
        String negative = r.negativePrompt(image);
        if (negative != null && !negative.isEmpty() && r.guidance() > 1.0) {
            s.append("\nNegative prompt: ").append(oneLine(negative));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Steps", String.valueOf(r.steps()));
        fields.put("Sampler", samplerName(scheduler));
        fields.put("CFG scale", number(r.guidance()));
        if (r.separateNegativeBranch()) {
            fields.put("Negative guidance", number(r.negativeGuidance()));
        }
        if (r.initNoise() == null || scheduler.drawsNoise()) {
            fields.put("Seed", Long.toUnsignedString(seed));
        }
        if (r.initNoise() != null) {
            fields.put("Init noise", "sha256 " + noiseHash(r, image));
        }
        fields.put("Size", r.width() + "x" + r.height());
        fields.put("Model", model.name());
        fields.put("Precision", model.precision().label());
        if (r.clipSkip() != 1 && model.family() != ModelFamily.SDXL) {
            fields.put("Clip skip", String.valueOf(r.clipSkip()));
        }
        if (r.initImage() != null) {
            fields.put("Denoising strength", number(r.strength()));
        }
        fields.putAll(extra);
        StringBuilder line = new StringBuilder();
        fields.forEach((name, value) -> line.append(line.length() == 0 ? "" : ", ").append(name).append(": ").append(quote(value)));
        return s.append('\n').append(line).toString();
    }

    /** AUTOMATIC1111's names for the same samplers. */
    public static String samplerName(SchedulerKind kind) {
        return switch (kind) {
            case DDIM -> "DDIM";
            case EULER -> "Euler";
            case EULER_A -> "Euler a";
            case DPMPP_2M -> "DPM++ 2M";
            case DPMPP_2M_KARRAS -> "DPM++ 2M Karras";
            case DDPM -> "DDPM";
            case PNDM -> "PLMS";
        };
    }

    /** AUTOMATIC1111's {@code quote}: a value with a comma, colon or line break becomes a JSON string. */
    static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf(':') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whitespace control characters (line breaks, tabs) as spaces; requests refuse any other control character. */
    private static String oneLine(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> s.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return s.toString();
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The first 12 hex digits of the SHA-256 of image {@code image}'s initial noise, float32 little-endian. */
    private static String noiseHash(GenerationRequest r, int image) {
        float[] noise = r.initNoise();
        int perImage = noise.length / r.batchSize();
        ByteBuffer bytes = ByteBuffer.allocate(perImage * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(noise, image * perImage, perImage);
        return Sha256.hex(bytes.array()).substring(0, 12);
    }
}
