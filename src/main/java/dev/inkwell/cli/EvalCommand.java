package dev.inkwell.cli;

import dev.inkwell.clip.Clip;
import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.storybook.StorybookEvaluation;
import dev.inkwell.storybook.StorybookEvaluation.Confusion;
import dev.inkwell.storybook.StorybookEvaluation.NegativeResult;
import dev.inkwell.storybook.StorybookEvaluation.Tally;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.storybook.StorybookTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a storybook model with its judge and prints the figures as Markdown tables. */
@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = {StoryEvalCommand.class, PersonalizeEvalCommand.class},
        description = "Measure a storybook model: judge accuracy, generation accuracy, negative prompts, speed.")
final class EvalCommand implements Callable<Integer> {
    private static final String SPEED_PROMPT = "a red fox wearing a scarf in the snow";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR",
            description = "A storybook model folder with judge/ inside (default: the embedded model).")
    Path model;

    @Option(names = "--seed", defaultValue = "1000", description = "Seed of prompts, scenes and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--prompts", defaultValue = "200", description = "Generation prompts (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--guidance", defaultValue = "" + StorybookModel.GUIDANCE, description = "Classifier-free guidance scale of the generations, above 1 (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--negative-guidance", paramLabel = "SCALE",
            description = "The negative prompts are measured replacing the empty prompt and with a guidance branch and"
                    + " this scale of their own (see generate --negative-guidance; default: the storybook model's "
                    + StorybookModel.NEGATIVE_GUIDANCE + ").")
    Double negativeGuidance;

    @Option(names = "--skip-speed", description = "Leave out the speed figures.")
    boolean skipSpeed;

    @Mixin
    PrecisionOption precisionOption;

    @Override
    public Integer call() throws Exception {
        Path folder = model != null ? model : StorybookModel.folder();
        Path judgeFolder = folder.resolve(StorybookTraining.JUDGE);
        if (!Files.isDirectory(judgeFolder)) {
            throw new IllegalArgumentException(folder + " has no " + StorybookTraining.JUDGE + "/ folder to score with");
        }
        if (!(guidance > 1)) {
            throw new IllegalArgumentException("--guidance must be above 1 (negative prompts act only through guidance), not " + guidance);
        }
        GenerationRequest.checkNegativeGuidance(negativeGuidance); // before the minutes of judging, not after
        PrintWriter out = spec.commandLine().getOut();
        StorybookEvaluation.Settings standard = StorybookEvaluation.Settings.standard(seed);
        StorybookEvaluation.Settings settings = new StorybookEvaluation.Settings(seed, standard.judgeScenes(), prompts,
                standard.negativePrompts(), standard.negativeColours(), standard.steps(), guidance,
                negativeGuidance != null ? negativeGuidance : standard.negativeGuidance(), standard.batch());
        try (StableDiffusion sd = StableDiffusion.load(folder, precisionOption.precision, LoadOptions.DEFAULT.withGenerationOnly()); Clip clip = Clip.load(folder);
                Judge judge = Judge.load(judgeFolder)) {
            StorybookEvaluation evaluation = new StorybookEvaluation(sd, clip, judge, settings);
            StorybookEvaluation.Report report;
            try (ProgressBar bar = ProgressBars.of("eval", evaluation.images(), " images")) {
                report = evaluation.run((done, total) -> bar.stepTo(done));
            }
            out.printf(Locale.ROOT, "%n| attribute | judge on %d rendered scenes | the same through the VAE | CLIP zero-shot | text encoder: word cosine | generated, %d prompts (%d steps, guidance %.1f), judged |%n",
                    settings.judgeScenes(), settings.prompts(), settings.steps(), settings.guidance());
            out.println("|---|---|---|---|---|---|");
            for (Attribute a : Attribute.values()) {
                Tally t = report.generation().containsKey(a) ? report.generation().get(a).tally() : null;
                Double zeroShot = report.clipZeroShot().get(a);
                Double cosine = report.wordCosine().get(a);
                out.printf(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %s | %s | %s |%n", a.key(), 100 * report.judgeAccuracy().get(a),
                        100 * report.judgeThroughVae().get(a),
                        zeroShot == null ? "" : String.format(Locale.ROOT, "%.1f %%", 100 * zeroShot),
                        cosine == null ? "" : String.format(Locale.ROOT, "%.2f", cosine),
                        t == null ? "not named by captions" : String.format(Locale.ROOT, "%.1f %% of %d", 100 * t.share(), t.total()));
            }
            out.printf(Locale.ROOT, "%n| generated, by the value the prompt asks for | judged right | most often judged instead |%n");
            out.println("|---|---|---|");
            for (Attribute a : List.of(Attribute.SUBJECT, Attribute.ACCESSORY)) {
                Confusion confusion = report.generation().get(a);
                for (int asked = 0; confusion != null && asked < a.classes(); asked++) {
                    Tally t = confusion.asked(asked);
                    if (t.total() > 0) {
                        int instead = confusion.mostOftenInstead(asked);
                        out.printf(Locale.ROOT, "| %s %s | %d of %d (%.1f %%) | %s |%n", a.key(), valueName(a, asked), t.right(),
                                t.total(), 100 * t.share(), instead < 0 ? "" : valueName(a, instead) + " ("
                                        + confusion.counts()[asked][instead] + ")");
                    }
                }
            }
            out.printf(Locale.ROOT, "%n| negative prompt (%d prompts naming no colour) | guided as | judged that colour without | with | subject without / with | setting without / with |%n",
                    settings.negativePrompts());
            out.println("|---|---|---|---|---|---|");
            for (NegativeResult r : report.negatives()) {
                out.printf(Locale.ROOT, "| \"%s\" | %s | %.1f %% | %.1f %% | %.1f / %.1f %% | %.1f / %.1f %% |%n", r.colour().word(),
                        r.negativeGuidance() == null ? "replacing the empty prompt"
                                : String.format(Locale.ROOT, "its own branch, scale %.2f", r.negativeGuidance()),
                        100 * r.judgedColourWithout().share(), 100 * r.judgedColourWith().share(),
                        100 * report.baseline().subject().share(), 100 * r.subjectWith().share(),
                        100 * report.baseline().setting().share(), 100 * r.settingWith().share());
            }
            if (!skipSpeed) {
                out.printf(Locale.ROOT, "%n| speed | seconds |%n|---|---|%n");
                out.printf(Locale.ROOT, "| one image, %d steps with CFG, after warm-up (median of 5) | %.3f |%n",
                        settings.steps(), warmImageSeconds(sd, settings.steps(), settings.guidance()));
                if (model == null) {
                    out.printf(Locale.ROOT, "| `inkwell generate` from a cold JVM (wall clock) | %.2f |%n", coldStartSeconds());
                }
            }
        }
        return 0;
    }

    private static String valueName(Attribute attribute, int index) {
        return attribute.classValues().get(index).name().toLowerCase(Locale.ROOT);
    }

    private static double warmImageSeconds(StableDiffusion sd, int steps, double guidance) {
        TextToImage pipeline = new TextToImage(sd);
        GenerationRequest request = GenerationRequest.of(SPEED_PROMPT).withSteps(steps).withGuidance(guidance);
        pipeline.generate(request, ProgressListener.NONE);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            pipeline.generate(request.withSeed(i), ProgressListener.NONE);
            times.add((System.nanoTime() - start) / 1e9);
        }
        Collections.sort(times);
        return times.get(2);
    }

    /** The main command as a user runs it: a fresh JVM on this one's class path, the default model, one image. */
    private static double coldStartSeconds() throws Exception {
        Path dir = Files.createTempDirectory("inkwell-eval");
        Path png = dir.resolve("cold.png");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Inkwell.class.getName(),
                "generate", "--prompt", SPEED_PROMPT, "--seed", "1", "-o", png.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        int code = pb.start().waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(png);
        Files.deleteIfExists(dir);
        if (code != 0) {
            throw new IllegalStateException("the cold-start generation exited with " + code);
        }
        return seconds;
    }
}
