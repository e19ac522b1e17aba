package dev.inkwell.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.adapter.AdapterFiles;
import dev.inkwell.adapter.Adapters;
import dev.inkwell.personalize.Concept;
import dev.inkwell.personalize.ConceptImages;
import dev.inkwell.personalize.Personalization;
import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.storybook.StorybookModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Learns a concept from a few pictures (ClassDiffusion) and writes an adapter. */
@Command(name = "personalize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn a new concept from a few pictures: Custom Diffusion (cross-attention keys/values and a new token)",
            "with ClassDiffusion's Semantic Preservation Loss. Writes an adapter folder for generate/story --adapter",
            "(and diffusers' load_attn_procs / load_textual_inversion)."})
final class PersonalizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "DIR", description = "The concept's pictures (PNG or JPEG, any size).")
    Path images;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "<new1>", description = "The new token (default: ${DEFAULT-VALUE}).")
    String token;

    @Option(names = "--class", paramLabel = "WORD", description = "The concept's class, e.g. dog.")
    String classWord;

    @Option(names = "--instance-prompt", paramLabel = "TEXT",
            description = "The pictures' caption (default: \"a photo of a TOKEN CLASS\").")
    String instancePrompt;

    @Option(names = "--concepts", paramLabel = "FILE.json",
            description = "Several concepts: a JSON list of {instance_prompt, class_prompt, instance_data_dir, class_data_dir}"
                    + " (diffusers' format; the token is the <...> word of instance_prompt, the class the word after it, or"
                    + " \"class\"; a class_data_dir turns on prior preservation for that concept).")
    Path conceptsFile;

    @Option(names = "--class-images", paramLabel = "DIR",
            description = "Prior preservation: class pictures, drawn by the base model with --class-prompt up to"
                    + " --num-class-images when the folder holds fewer (SPL stays on unless --spl-weight 0; the original switches it off).")
    Path classImages;

    @Option(names = "--class-prompt", paramLabel = "TEXT", description = "The class pictures' caption (default: \"a photo of a CLASS\").")
    String classPrompt;

    @Option(names = "--num-class-images", defaultValue = "200", paramLabel = "N", description = "(default: ${DEFAULT-VALUE}, as diffusers).")
    int numClassImages;

    @Option(names = "--prior-loss-weight", defaultValue = "1.0", paramLabel = "W",
            description = "Weight of the prior-preservation loss (default: ${DEFAULT-VALUE}).")
    double priorLossWeight;

    @Option(names = "--model", paramLabel = "PATH", description = "The base model (default: the embedded storybook model).")
    Path model;

    @Option(names = "--initializer-token", paramLabel = "ENTRY", defaultValue = Concept.INITIALIZER,
            description = "The vocabulary entry the new token starts from (default: ${DEFAULT-VALUE}, as the original).")
    String initializer;

    @Option(names = "--spl-weight", defaultValue = "1.0", description = "Semantic Preservation Loss weight; 0 is plain Custom Diffusion (default: ${DEFAULT-VALUE}).")
    double splWeight;

    @Option(names = "--spl-pooling", defaultValue = "eos", paramLabel = "eos|released",
            description = "Where SPL reads a phrase: eos, the end-of-text token as the paper describes; released, the highest"
                    + " token id as the released code does (the new token's own position) (default: ${DEFAULT-VALUE}).")
    String splPooling;

    @Option(names = "--released-token-decay",
            description = "Decay every row of the token embedding each step, as the released code's AdamW does"
                    + " (default: only the new token's row changes).")
    boolean releasedTokenDecay;

    @Option(names = "--token-only", description = "Train the token's embedding alone (textual inversion), not the cross-attention keys and values.")
    boolean tokenOnly;

    @Option(names = "--steps", defaultValue = "500", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "2", description = "Pictures per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate",
            description = "Learning rate, multiplied by the batch size (and 2 with prior preservation) as the original's"
                    + " --scale_lr (default: the original's 1e-5, or " + StorybookModel.PERSONALIZATION_LEARNING_RATE
                    + " on the embedded storybook model).")
    Double learningRate;

    @Option(names = "--no-scale-lr", description = "Use --learning-rate as given.")
    boolean noScaleLr;

    @Option(names = "--resolution", defaultValue = "0", description = "Training side in pixels (default: the model's native size).")
    int resolution;

    @Option(names = "--no-hflip", description = "Do not flip pictures.")
    boolean noFlip;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the batches, augmentation and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "250", paramLabel = "N",
            description = "Save a checkpoint every N steps (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in the output folder.")
    boolean resume;

    @Option(names = "--validation-prompt", paramLabel = "TEXT", description = "Generate this prompt every --validate-every steps into DIR/validation/.")
    String validationPrompt;

    @Option(names = "--validate-every", defaultValue = "50", paramLabel = "N", description = "(default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "ADAPTER_DIR", description = "The adapter folder to write.")
    Path output;

    @Option(names = "--overwrite", description = "Replace an adapter already in the output folder.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        List<Concept> concepts = concepts();
        Pooling pooling = switch (splPooling.toLowerCase(Locale.ROOT)) {
            case "eos" -> Pooling.EOS;
            case "released" -> Pooling.RELEASED;
            default -> throw new IllegalArgumentException("--spl-pooling must be eos or released, not " + splPooling);
        };
        double rate = learningRate != null ? learningRate
                : model == null ? StorybookModel.PERSONALIZATION_LEARNING_RATE : Personalization.Settings.defaults().learningRate();
        Personalization.Settings settings = new Personalization.Settings(steps, batchSize, rate, !noScaleLr, splWeight,
                pooling, releasedTokenDecay, seed, resolution, !noFlip, checkpointEvery, validationPrompt, validateEvery, !tokenOnly,
                concepts.stream().anyMatch(c -> c.classImages() != null) ? priorLossWeight : 0);
        if (classImages != null && numClassImages < 1) {
            throw new IllegalArgumentException("--num-class-images must be positive, not " + numClassImages);
        }
        if (model != null && !Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        checkOutput();
        ConceptImages data = ConceptImages.instances(concepts);
        Path modelPath = model != null ? model : StorybookModel.folder();
        String baseName = model != null ? model.getFileName().toString() : StorybookModel.NAME;
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d pictures of %s; %d steps, batch %d, learning rate %.3g%n", data.size(),
                concepts.stream().map(Concept::token).toList(), steps, batchSize, settings.effectiveLearningRate());
        out.flush();
        long start = System.nanoTime();
        try (StableDiffusion sd = Personalization.load(modelPath, concepts, LoadOptions.DEFAULT)) {
            for (Concept c : concepts) {
                if (c.classImages() != null) {
                    drawClassImages(sd, c);
                }
            }
            Personalization.train(sd, baseName, concepts, data, ConceptImages.classes(concepts), settings, output, out);
        }
        out.printf(Locale.ROOT, "wrote the adapter to %s (%.0f s)%n", output, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** Fills the concept's class folder up to --num-class-images with the base model's pictures of the class prompt. */
    private void drawClassImages(StableDiffusion sd, Concept c) throws java.io.IOException {
        GenerationRequest request = (model == null ? StorybookModel.request(c.classPrompt())
                : GenerationRequest.of(c.classPrompt())).withSeed(seed);
        try (ProgressBar bar = ProgressBars.of("class pictures", numClassImages, " images")) {
            int drawn = Personalization.drawClassImages(sd, c.classImages(), numClassImages, request, (done, total) -> bar.stepTo(done));
            if (drawn > 0) {
                spec.commandLine().getOut().println("drew " + drawn + " class pictures of \"" + c.classPrompt() + "\" into " + c.classImages());
            }
        }
    }

    private void checkOutput() {
        Path checkpoint = output.resolve(Personalization.CHECKPOINT);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("-o " + output + " is a file; give the adapter folder");
        }
        if (resume && !Files.exists(checkpoint)) {
            throw new IllegalArgumentException("--resume: " + output + " holds no checkpoint to continue");
        }
        if (!resume && Files.exists(checkpoint)) {
            throw new IllegalArgumentException(output + " holds a checkpoint of an earlier run; --resume continues it,"
                    + " or choose another folder");
        }
        if (!resume && !overwrite && Files.exists(output.resolve(AdapterFiles.WEIGHTS))) {
            throw new IllegalArgumentException(output + " already holds an adapter (use --overwrite to replace it)");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("-o " + output + ": the folder " + parent + " does not exist");
        }
    }

    private List<Concept> concepts() throws java.io.IOException {
        if (conceptsFile != null) {
            if (images != null || classWord != null || instancePrompt != null) {
                throw new IllegalArgumentException("give either --concepts or --images with --class, not both");
            }
            JsonNode list = new ObjectMapper().readTree(conceptsFile.toFile());
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException(conceptsFile + ": expected a JSON list of concepts");
            }
            List<Concept> concepts = new ArrayList<>();
            Path base = conceptsFile.toAbsolutePath().getParent();
            for (JsonNode c : list) {
                String prompt = c.path("instance_prompt").asText(null);
                String dir = c.path("instance_data_dir").asText(null);
                if (prompt == null || dir == null) {
                    throw new IllegalArgumentException(conceptsFile + ": every concept needs instance_prompt and instance_data_dir");
                }
                Matcher m = Adapters.TOKEN.matcher(prompt);
                if (!m.find()) {
                    throw new IllegalArgumentException(conceptsFile + ": the instance prompt \"" + prompt + "\" names no <token>");
                }
                String cls = c.has("class") ? c.get("class").asText() : wordAfter(prompt, m.end());
                String classDir = c.path("class_data_dir").asText(null);
                concepts.add(new Concept(m.group(), cls, initializer, prompt, base.resolve(dir), c.path("class_prompt").asText(null),
                        classDir == null ? null : base.resolve(classDir)));
            }
            return concepts;
        }
        if (images == null || classWord == null) {
            throw new IllegalArgumentException("give --images and --class (or --concepts)");
        }
        String prompt = instancePrompt != null ? instancePrompt : "a photo of a " + token + " " + classWord;
        Concept concept = new Concept(token, classWord, initializer, prompt, images, null, null);
        if (classImages != null) {
            concept = concept.withClassImages(classImages, classPrompt != null ? classPrompt : "a photo of a " + classWord);
        }
        return List.of(concept);
    }

    private static String wordAfter(String prompt, int at) {
        String[] words = prompt.substring(at).trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("the instance prompt \"" + prompt + "\" has no class word after its token;"
                    + " add \"class\" to the concept");
        }
        return words[0];
    }
}
