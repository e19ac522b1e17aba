package dev.inkwell.pipeline;

import dev.inkwell.scheduler.SchedulerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The generation parameters in AUTOMATIC1111's "infotext" format, the {@code parameters} text
 * chunk of its PNGs, which tools across the ecosystem read back:
 * <pre>
 * prompt
 * Negative prompt: negative
 * Steps: 25, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: name
 * </pre>
 */
public final class InfoText {
    private InfoText() {}

    public static String of(GenerationRequest r, int image, SchedulerKind scheduler, long seed, String model) {
        return of(r, image, scheduler, seed, model, List.of());
    }

    /** With {@code extra} fields ("Name: value") after the usual ones, for what the request alone does not say. */
    public static String of(GenerationRequest r, int image, SchedulerKind scheduler, long seed, String model,
            List<String> extra) {
        StringBuilder s = new StringBuilder(r.prompts().get(image).text());
        String negative = r.negativePrompt(image);
        if (negative != null && !negative.isEmpty()) {
            s.append("\nNegative prompt: ").append(negative);
        }
        List<String> fields = new ArrayList<>();
        fields.add("Steps: " + r.steps());
        fields.add("Sampler: " + samplerName(scheduler));
        fields.add("CFG scale: " + number(r.guidance()));
        if (r.separateNegativeBranch()) {
            fields.add("Negative guidance: " + number(r.negativeGuidance()));
        }
        fields.add("Seed: " + Long.toUnsignedString(seed));
        fields.add("Size: " + r.width() + "x" + r.height());
        fields.add("Model: " + model);
        if (r.clipSkip() != 1) {
            fields.add("Clip skip: " + r.clipSkip());
        }
        if (r.initImage() != null) {
            fields.add("Denoising strength: " + number(r.strength()));
        }
        fields.addAll(extra);
        return s.append('\n').append(String.join(", ", fields)).toString();
    }

    /** AUTOMATIC1111's names for the same samplers. */
    static String samplerName(SchedulerKind kind) {
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

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
