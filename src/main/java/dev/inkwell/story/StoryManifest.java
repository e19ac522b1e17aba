package dev.inkwell.story;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.scheduler.SchedulerKind;
import java.util.List;

/** A told story as JSON: the model, the story, every setting, and each frame's prompt, file and time. */
public final class StoryManifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoryManifest() {}

    /**
     * @param generation the request the frames were made with (native size resolved)
     * @param frameFiles one file name per frame
     * @param initNoise where the initial noise came from, or {@code null} for the seed's
     */
    public static String of(String model, Story story, StorySettings settings, GenerationRequest generation,
            SchedulerKind scheduler, List<StoryFrame> frames, List<String> frameFiles, String strip, String initNoise,
            double seconds) {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", "1Prompt1Story");
        root.put("model", model);
        root.put("id_prompt", story.identity());
        ArrayNode prompts = root.putArray("frame_prompt_list");
        story.frames().forEach(prompts::add);

        ObjectNode s = root.putObject("settings");
        s.put("window", settings.window());
        s.put("window_rule", settings.windowRule().name().toLowerCase(java.util.Locale.ROOT));
        s.put("effective_window", frames.isEmpty() ? 0 : frames.get(0).plan().window().size());
        s.put("svr_mode", settings.svrMode().label());
        s.put("alpha_suppress", settings.suppress().alpha());
        s.put("beta_suppress", settings.suppress().beta());
        s.put("alpha_express", settings.express().alpha());
        s.put("beta_express", settings.express().beta());
        s.put("ipca", settings.ipca());
        s.put("ipca_dropout", settings.ipcaDropout());

        ObjectNode g = root.putObject("generation");
        g.put("width", generation.width());
        g.put("height", generation.height());
        g.put("steps", generation.steps());
        g.put("guidance", generation.guidance());
        if (generation.negativeGuidance() != null) {
            g.put("negative_guidance", generation.negativeGuidance());
        }
        g.put("scheduler", scheduler.name().toLowerCase(java.util.Locale.ROOT));
        g.put("seed", generation.seed());
        g.put("shared_initial_noise", true);
        if (initNoise != null) {
            g.put("init_noise", initNoise);
        }
        g.put("clip_skip", generation.clipSkip());

        ArrayNode list = root.putArray("frames");
        for (int i = 0; i < frames.size(); i++) {
            StoryFrame f = frames.get(i);
            ObjectNode n = list.addObject();
            n.put("index", f.index());
            n.put("file", frameFiles.get(i));
            n.put("frame_prompt", f.plan().express());
            n.put("prompt", f.plan().prompt().text());
            if (f.negativePrompt() != null) {
                n.put("negative_prompt", f.negativePrompt());
            }
            ArrayNode suppressed = n.putArray("suppressed");
            f.plan().suppress().forEach(suppressed::add);
            n.put("seconds", f.seconds());
        }
        root.put("strip", strip);
        root.put("seconds", seconds);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
