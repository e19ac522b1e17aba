package dev.inkwell.cli;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.InfoText;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.story.Story;
import dev.inkwell.story.StoryFile;
import dev.inkwell.story.StoryFrame;
import dev.inkwell.story.StoryManifest;
import dev.inkwell.story.StorySettings;
import dev.inkwell.story.StoryStrip;
import dev.inkwell.story.StoryTeller;
import dev.inkwell.story.SvrMode;
import dev.inkwell.story.WindowRule;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.weights.SafeTensorsWriter;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** 1Prompt1Story: one character across the frames of a story, from one consolidated prompt. */
@Command(name = "story", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a story: one identity prompt, several frame prompts, one consistent character (1Prompt1Story).",
            "Writes frame-N.png per frame, story.png (the frames side by side with their prompts) and story.json "
                    + "(every setting) into the output folder; with a story file of several stories, one folder story-N each."})
final class StoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--id-prompt", paramLabel = "TEXT", description = "Who the story is about, e.g. \"a photo of a red fox\".")
    String idPrompt;

    @Option(names = "--frame", paramLabel = "TEXT", description = "What happens in one frame; repeat for each frame, in order.")
    List<String> frames;

    @Option(names = "--story-file", paramLabel = "FILE.json",
            description = "Stories in the original's format: {\"combinations\": [{\"id_prompt\": ..., \"frame_prompt_list\": [...]}]}.")
    Path storyFile;

    @Option(names = "--model", paramLabel = "PATH",
            description = "A diffusers model folder or single-file checkpoint (default: the embedded storybook model).")
    Path model;

    @Option(names = "--steps", description = "Denoising steps (default: 50 on SDXL as the original, else 25).")
    Integer steps;

    @Option(names = {"-g", "--guidance"},
            description = "Guidance scale, above 1 (default: 5 on SDXL as the original, " + StorybookModel.GUIDANCE
                    + " on the storybook model, else " + GenerationRequest.GUIDANCE + ").")
    Double guidance;

    @Option(names = "--scheduler", paramLabel = "NAME", converter = SchedulerConverter.class,
            description = "ddim, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddpm or pndm (default: euler on SDXL as the original, else the model's own).")
    SchedulerKind scheduler;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the initial noise every frame shares, 0 to 2^64-1 (default, or -1: random, printed).")
    String seed;

    @Option(names = {"-W", "--width"}, description = "Frame width, a multiple of 8 (default: the model's native size).")
    Integer width;

    @Option(names = {"-H", "--height"}, description = "Frame height, a multiple of 8 (default: the model's native size).")
    Integer height;

    @Option(names = "--clip-skip", defaultValue = "1", description = "Clip skip, SD 1.x/2.x (default: ${DEFAULT-VALUE}).")
    int clipSkip;

    @Option(names = "--window", defaultValue = "10",
            description = "Most frames in one prompt; longer stories slide a circular window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--window-rule", defaultValue = "tokens",
            description = "tokens: the longest window whose prompts fit the text encoder; words: the original's count of "
                    + "words under 77 (default: ${DEFAULT-VALUE}).")
    String windowRule;

    @Option(names = "--svr-mode", defaultValue = "svr",
            description = "svr (frame words and end-of-text rows), svr-eot (frame words; end-of-text rows x0.9) or original (no SVR) "
                    + "(default: ${DEFAULT-VALUE}).")
    String svrMode;

    @Mixin
    ReweightingOptions reweighting;

    @Option(names = "--no-ipca", description = "Turn off Identity-Preserving Cross-Attention.")
    boolean noIpca;

    @Option(names = "--ipca-dropout", defaultValue = "0", paramLabel = "P",
            description = "Chance that a query misses an identity key, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double ipcaDropout;

    @Option(names = {"-n", "--negative-prompt"}, paramLabel = "TEXT",
            description = "What to steer away from: one for all frames, or one per frame.")
    List<String> negativePrompts;

    @Option(names = "--init-noise", paramLabel = "FILE.safetensors",
            description = "Initial standard-normal latents, one tensor [1,C,h,w] for every frame or [frames,C,h,w].")
    Path initNoise;

    @Option(names = "--save-latents", paramLabel = "FILE.safetensors",
            description = "Also write every frame's final latents before decoding, tensor 'latents' [frames,C,h,w].")
    Path saveLatents;

    @Mixin
    PrecisionOption precisionOption;

    @Mixin
    AdapterOptions adapterOptions;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The folder to write the story into.")
    Path output;

    @Option(names = "--overwrite", description = "Replace existing output files.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        List<Story> stories = stories();
        StorySettings settings = settings();
        if (model != null && !Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (guidance != null && !(guidance > 1 && guidance <= GenerationRequest.MAX_GUIDANCE)) {
            throw new IllegalArgumentException("--guidance must be above 1 (IPCA edits the guided branch) and at most "
                    + (int) GenerationRequest.MAX_GUIDANCE + " in a story, not " + guidance);
        }
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("--steps must be positive, not " + steps);
        }
        if (saveLatents != null && stories.size() != 1) {
            throw new IllegalArgumentException("--save-latents takes one story; the story file has " + stories.size());
        }
        float[] noise = initNoise == null ? null : GenerateCommand.readNoise(initNoise);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("-o " + output + " is a file; give the folder to write the story into");
        }
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < stories.size(); i++) {
            Path folder = stories.size() == 1 ? output : output.resolve("story-" + (i + 1));
            folders.add(folder);
            List<Path> files = new ArrayList<>(List.of(folder.resolve("story.json"), folder.resolve("story.png")));
            for (int f = 0; f < stories.get(i).size(); f++) {
                files.add(folder.resolve(frameFile(f)));
            }
            for (Path file : files) {
                if (!overwrite) {
                    Outputs.refuseExisting(file);
                }
                if (saveLatents != null && file.toAbsolutePath().normalize().equals(saveLatents.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("-o and --save-latents both name " + saveLatents);
                }
            }
        }
        if (saveLatents != null) {
            Outputs.check(List.of(new Outputs.Target(saveLatents, "--save-latents")), overwrite);
        }
        List<Adapter> adapters = adapterOptions.read();
        List<String> texts = new ArrayList<>();
        for (Story story : stories) {
            texts.add(story.identity());
            texts.addAll(story.frames());
        }
        if (negativePrompts != null) {
            texts.addAll(negativePrompts);
        }
        AdapterOptions.checkTokens(texts, adapters);
        long firstSeed = Seeds.parse(seed);
        PrintWriter out = spec.commandLine().getOut();
        Path modelPath = model != null ? model : StorybookModel.folder();
        String modelName = model != null ? model.getFileName().toString() : StorybookModel.NAME;
        try (StableDiffusion sd = StableDiffusion.load(modelPath, precisionOption.precision, new LoadOptions(null, null, adapters, true))) {
            TextToImage pipeline = new TextToImage(sd);
            StoryTeller teller = new StoryTeller(pipeline);
            for (Story story : stories) {
                teller.plan(story, settings);
            }
            GenerationRequest generation = generation(sd, firstSeed, noise);
            SchedulerKind ran = generation.scheduler() != null ? generation.scheduler() : sd.defaultScheduler();
            if (Seeds.random(seed)) {
                out.println("seed " + Long.toUnsignedString(firstSeed));
            }
            for (int i = 0; i < stories.size(); i++) {
                tell(teller, stories.get(i), settings, generation, ran, InfoText.Model.of(modelName, sd),
                        AdapterOptions.infoFields(adapters), folders.get(i), out);
            }
        }
        return 0;
    }

    private void tell(StoryTeller teller, Story story, StorySettings settings, GenerationRequest generation,
            SchedulerKind ran, InfoText.Model model, Map<String, String> adapterFields, Path folder, PrintWriter out)
            throws Exception {
        Files.createDirectories(folder);
        long start = System.nanoTime();
        List<String> files = new ArrayList<>();
        List<StoryFrame> frames;
        int total = story.size() * generation.steps();
        try (ProgressBar bar = ProgressBars.of("story", total, " steps")) {
            frames = teller.tell(story, settings, generation, negativePrompts, frame -> {
                String name = frameFile(frame.index());
                String info = InfoText.of(generation.withPrompt(frame.plan().prompt(), frame.negativePrompt()), 0, ran,
                        generation.seed(), model, storyFields(frame, story.size(), settings, adapterFields));
                try {
                    Images.writePng(frame.image(), folder.resolve(name), overwrite, Map.of("parameters", info));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                files.add(name);
            }, (frame, step, steps) -> {
                bar.maxHint((long) story.size() * steps);
                bar.stepTo((long) frame * steps + step);
            });
        }
        List<BufferedImage> images = frames.stream().map(StoryFrame::image).toList();
        Images.writePng(StoryStrip.of(images, story.frames()), folder.resolve("story.png"), overwrite, Map.of());
        if (saveLatents != null) {
            long[] one = frames.get(0).latentShape();
            float[] all = new float[frames.size() * frames.get(0).latents().length];
            for (int i = 0; i < frames.size(); i++) {
                float[] l = frames.get(i).latents();
                System.arraycopy(l, 0, all, i * l.length, l.length);
            }
            AtomicFiles.write(saveLatents, overwrite, file -> SafeTensorsWriter.write(file, Map.of("latents",
                    SafeTensorsWriter.Tensor.ofFloats(new long[] {frames.size(), one[1], one[2], one[3]}, all))));
            out.println("wrote " + saveLatents);
        }
        String manifest = StoryManifest.of(model.name(), story, settings, generation, ran, frames, files, "story.png",
                initNoise == null ? null : initNoise.toString(), (System.nanoTime() - start) / 1e9);
        AtomicFiles.write(folder.resolve("story.json"), overwrite,
                file -> Files.writeString(file, manifest, StandardCharsets.UTF_8));
        out.println("wrote " + folder + " (" + frames.size() + " frames, story.png, story.json; " + model.precision().label() + ")");
    }

    private static Map<String, String> storyFields(StoryFrame frame, int count, StorySettings settings,
            Map<String, String> adapterFields) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Story", "1Prompt1Story");
        fields.put("Story frame", (frame.index() + 1) + "/" + count);
        fields.put("Story window", String.valueOf(frame.plan().window().size()));
        fields.put("SVR", settings.svrMode().label());
        fields.put("IPCA", settings.ipca() ? settings.ipcaDropout() > 0 ? "dropout " + settings.ipcaDropout() : "on" : "off");
        fields.putAll(adapterFields);
        return fields;
    }

    private static String frameFile(int index) {
        return "frame-" + (index + 1) + ".png";
    }

    private List<Story> stories() throws java.io.IOException {
        if (storyFile != null) {
            if (idPrompt != null || frames != null) {
                throw new IllegalArgumentException("give either --story-file or --id-prompt with --frame, not both");
            }
            return StoryFile.read(storyFile);
        }
        if (idPrompt == null || idPrompt.isBlank()) {
            throw new IllegalArgumentException("--id-prompt is required (or --story-file)");
        }
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("give at least one --frame");
        }
        return List.of(new Story(idPrompt, frames));
    }

    private StorySettings settings() {
        WindowRule rule = switch (windowRule.toLowerCase(Locale.ROOT)) {
            case "tokens" -> WindowRule.TOKENS;
            case "words" -> WindowRule.WORDS;
            default -> throw new IllegalArgumentException("unknown --window-rule '" + windowRule + "'; use tokens or words");
        };
        return new StorySettings(window, rule, SvrMode.parse(svrMode),
                reweighting.suppress(), reweighting.express(), !noIpca, ipcaDropout);
    }

    /** The defaults per model: the original's on SDXL, the embedded model's own on it, SD's usual elsewhere. */
    private GenerationRequest generation(StableDiffusion sd, long firstSeed, float[] noise) {
        GenerationRequest base = StoryTeller.defaults(sd.family(),
                model == null ? StorybookModel.request("") : GenerationRequest.of(""));
        if (steps != null) {
            base = base.withSteps(steps);
        }
        if (guidance != null) {
            base = base.withGuidance(guidance);
        }
        if (scheduler != null) {
            base = base.withScheduler(scheduler);
        }
        return base.withSize(width == null ? GenerationRequest.NATIVE_SIZE : width,
                        height == null ? GenerationRequest.NATIVE_SIZE : height)
                .withClipSkip(clipSkip).withSeed(firstSeed).withInitNoise(noise).withNativeSize(sd.nativeSize());
    }
}
