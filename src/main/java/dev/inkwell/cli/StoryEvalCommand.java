package dev.inkwell.cli;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.judge.Judge;
import dev.inkwell.metrics.ClipScore;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.story.Story;
import dev.inkwell.story.StoryEvaluation;
import dev.inkwell.story.StoryEvaluation.Method;
import dev.inkwell.story.StoryEvaluation.MethodScores;
import dev.inkwell.story.StoryFile;
import dev.inkwell.story.StorySettings;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.storybook.StorybookTraining;
import dev.inkwell.tensor.Precision;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inkwell eval story}: story consistency of each method on the storybook world. */
@Command(name = "story", mixinStandardHelpOptions = true,
        description = {"Measure story consistency on the storybook model: identity consistency, CLIP-I, frame alignment, "
                + "CLIP-T and seconds per frame for each method, with 95 %% bootstrap intervals over stories.",
            "Methods: naive-seeds, naive-same-seed, concat, no-svr, no-ipca, 1p1s, 1p1s-eot."})
final class StoryEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--stories", paramLabel = "FILE.json",
            description = "Stories in the original's JSON format (default: the committed benchmark of 40 stories).")
    Path stories;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "Methods to run, comma-separated (default: all).")
    List<String> methods;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the table as JSON.")
    Path json;

    @Option(names = "--seed", defaultValue = "1000", description = "Seed of the frames' noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", description = "Denoising steps (default: the storybook model's 25).")
    Integer steps;

    @Option(names = "--window", defaultValue = "10",
            description = "The 1Prompt1Story methods' window (default: ${DEFAULT-VALUE}, the original's).")
    int window;

    @Mixin
    ReweightingOptions reweighting;

    @Option(names = "--clip", paramLabel = "DIR",
            description = "Score CLIP-T and CLIP-I with this transformers CLIPModel folder instead of the storybook model's CLIP.")
    Path clipFolder;

    @Option(names = "--overwrite", description = "Replace an existing --json file.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        List<Story> list = stories == null ? StoryEvaluation.benchmark() : StoryFile.read(stories);
        List<Method> chosen = methods == null ? Arrays.asList(Method.values()) : methods.stream().map(Method::parse).toList();
        if (json != null) {
            Outputs.check(List.of(new Outputs.Target(json, "--json")), overwrite);
        }
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("--steps must be positive, not " + steps);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path folder = StorybookModel.folder();
        GenerationRequest generation = StorybookModel.request("").withSeed(seed);
        if (steps != null) {
            generation = generation.withSteps(steps);
        }
        int frames = list.stream().mapToInt(Story::size).sum();
        try (StableDiffusion sd = StableDiffusion.load(folder, Precision.FLOAT32);
                Judge judge = Judge.load(folder.resolve(StorybookTraining.JUDGE));
                ClipScore clip = clipFolder != null ? ClipScore.ofTransformersFolder(clipFolder) : ClipScore.ofModel(folder)) {
            StoryEvaluation evaluation = new StoryEvaluation(new TextToImage(sd), judge, clip);
            out.println(list.size() + " stories, " + frames + " frames, methods " + chosen.stream().map(Method::label).toList());
            out.flush();
            List<MethodScores> scores;
            try (ProgressBar bar = ProgressBars.of("stories", (long) chosen.size() * list.size(), " stories")) {
                scores = evaluation.run(list, chosen, StorySettings.defaults().withWindow(window)
                        .withReweighting(reweighting.suppress(), reweighting.express()), generation,
                        (method, story, count) -> {
                            bar.setExtraMessage(method.label());
                            bar.stepTo((long) chosen.indexOf(method) * count + story);
                        });
            }
            out.print(StoryEvaluation.table(scores));
            out.flush();
            if (json != null) {
                String text = StoryEvaluation.json(scores);
                AtomicFiles.write(json, overwrite, file -> Files.writeString(file, text, StandardCharsets.UTF_8));
                out.println("wrote " + json);
            }
        }
        return 0;
    }
}
