package dev.inkwell.cli;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.judge.Judge;
import dev.inkwell.metrics.ClipScore;
import dev.inkwell.personalize.Personalization;
import dev.inkwell.personalize.PersonalizationEvaluation;
import dev.inkwell.personalize.PersonalizationEvaluation.Method;
import dev.inkwell.personalize.PersonalizationEvaluation.Scores;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.storybook.StorybookTraining;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inkwell eval personalize}: each personalization method on individuals of the storybook world. */
@Command(name = "personalize", mixinStandardHelpOptions = true,
        description = {"Measure personalization on the storybook model: identity fidelity, prompt fidelity, CLIP-I, CLIP-T",
            "(token replaced by the class word) and training seconds per method, 95 %% bootstrap intervals over prompts.",
            "Methods: class-only, custom-diffusion, class-diffusion, class-diffusion-released, textual-inversion."})
final class PersonalizeEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the individuals, prompts and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--individuals", defaultValue = "6", description = "Individuals learned (default: ${DEFAULT-VALUE}).")
    int individuals;

    @Option(names = "--prompts", defaultValue = "20", description = "Compositional prompts per individual (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--steps", defaultValue = "500", description = "Training steps of every run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--learning-rate", defaultValue = "" + StorybookModel.PERSONALIZATION_LEARNING_RATE,
            description = "Learning rate of the trained runs before the batch scaling (default: ${DEFAULT-VALUE},"
                    + " the storybook model's; the original's is 1e-5).")
    double learningRate;

    @Option(names = "--methods", split = ",", paramLabel = "NAME", description = "Methods to run, comma-separated (default: all).")
    List<String> methods;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Keep the training pictures, adapters and generated images in DIR (default: a temporary folder, deleted).")
    Path keep;

    @Option(names = "--overwrite", description = "Replace an existing --json file.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (individuals < 1 || prompts < 1 || steps < 1) {
            throw new IllegalArgumentException("--individuals, --prompts and --steps must be positive");
        }
        List<Method> chosen = methods == null ? Arrays.asList(Method.values()) : methods.stream().map(PersonalizeEvalCommand::method).toList();
        if (json != null) {
            Outputs.check(List.of(new Outputs.Target(json, "--json")), overwrite);
        }
        Path folder = StorybookModel.folder();
        PrintWriter out = spec.commandLine().getOut();
        Personalization.Settings d = Personalization.Settings.defaults();
        Personalization.Settings training = new Personalization.Settings(steps, d.batchSize(), learningRate, true,
                d.splWeight(), d.pooling(), false, seed, 0, true, steps, null, d.validateEvery(), true, 0);
        if (keep != null && Files.exists(keep)) {
            throw new IllegalArgumentException("--keep " + keep + " already exists; give a new folder");
        }
        Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("inkwell-eval-personalize");
        List<Scores> scores;
        try (Judge judge = Judge.load(folder.resolve(StorybookTraining.JUDGE)); ClipScore clip = ClipScore.ofModel(folder);
                ProgressBar bar = ProgressBars.of("personalize", (long) chosen.size() * individuals, " runs")) {
            PersonalizationEvaluation evaluation = new PersonalizationEvaluation(folder, judge, clip, training, 5e-4);
            scores = evaluation.run(chosen, individuals, prompts, seed, work, (method, i, n) -> {
                bar.setExtraMessage(method.label());
                bar.stepTo((long) chosen.indexOf(method) * n + i);
            });
        } finally {
            if (keep == null) {
                AtomicFiles.deleteTree(work);
            }
        }
        out.printf(Locale.ROOT, "%d individuals, %d prompts each, %d steps, learning rate %.3g (x batch %d)%n%n", individuals,
                prompts, steps, learningRate, training.batchSize());
        out.print(PersonalizationEvaluation.table(scores, seed));
        out.flush();
        if (json != null) {
            String text = PersonalizationEvaluation.json(scores, seed);
            AtomicFiles.write(json, overwrite, file -> Files.writeString(file, text, StandardCharsets.UTF_8));
            out.println("wrote " + json);
        }
        return 0;
    }

    private static Method method(String name) {
        try {
            return Method.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + name + "'; use class-only, custom-diffusion, class-diffusion,"
                    + " class-diffusion-released or textual-inversion");
        }
    }
}
