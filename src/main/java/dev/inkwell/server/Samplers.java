package dev.inkwell.server;

import dev.inkwell.pipeline.InfoText;
import dev.inkwell.scheduler.SchedulerKind;
import java.util.Locale;

/** AUTOMATIC1111's sampler (and, since 1.9, scheduler) names for Inkwell's schedulers. */
final class Samplers {
    private Samplers() {}

    /**
     * The scheduler for A1111's {@code sampler_name} and optional {@code scheduler} ("Karras"), or
     * {@code null} for the model's own when neither is given.
     *
     * @throws BadRequest naming the field for a sampler Inkwell does not have
     */
    static SchedulerKind of(String sampler, String scheduler) {
        if (sampler == null || sampler.isBlank()) {
            return null;
        }
        String name = sampler.trim();
        boolean karras = scheduler != null && scheduler.trim().equalsIgnoreCase("karras");
        if (karras && !name.toLowerCase(Locale.ROOT).endsWith("karras")) {
            name = name + " Karras";
        }
        for (SchedulerKind kind : SchedulerKind.values()) {
            if (InfoText.samplerName(kind).equalsIgnoreCase(name) || kind.cliName().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new BadRequest("sampler_name", "unknown sampler '" + sampler + "'" + (karras ? " with the Karras scheduler" : "")
                + "; Inkwell has " + String.join(", ", java.util.Arrays.stream(SchedulerKind.values()).map(InfoText::samplerName).toList()));
    }
}
