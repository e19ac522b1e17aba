package dev.inkwell.cli;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import dev.inkwell.pipeline.BatchMemory;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.GenerationResult;
import dev.inkwell.pipeline.InfoText;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ModelFamily;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.prompt.Prompt;
import dev.inkwell.storybook.StorybookModel;
import dev.inkwell.scheduler.SchedulerConfig.PredictionType;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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

/** Text to image (and image to image) from a diffusers model folder or a single-file checkpoint. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate images from a text prompt.",
            "Prompts may be longer than 77 tokens (split into 75-token chunks; BREAK starts a new chunk) "
                    + "and use AUTOMATIC1111 weighting: (word), (word:1.5), [word]."})
final class GenerateCommand implements Callable<Integer> {
    private static final double DEFAULT_STRENGTH = 0.75;

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT",
            description = "What to draw. Repeat for a batch with one prompt per image.")
    List<String> prompts;

    @Option(names = {"-n", "--negative-prompt"}, paramLabel = "TEXT",
            description = "What to steer away from: replaces the empty prompt in guidance. Give one for all images or one per prompt.")
    List<String> negativePrompts;

    @Option(names = "--model", paramLabel = "PATH",
            description = "A diffusers model folder, or a single-file .safetensors checkpoint (SD 1.x, 2.x, SDXL base)"
                    + " (default: Inkwell's embedded storybook model, 64x64).")
    Path model;

    @Option(names = "--config", paramLabel = "DIR",
            description = "With a single-file checkpoint: a diffusers folder whose configs and tokenizers replace the standard ones.")
    Path configFolder;

    @Option(names = "--prediction-type", paramLabel = "TYPE", converter = PredictionTypeConverter.class,
            description = "epsilon, v_prediction (or v) or sample (default: the model's scheduler config; SD 2.x 768 checkpoints need v).")
    PredictionType predictionType;

    @Mixin
    AdapterOptions adapterOptions;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"-g", "--guidance"},
            description = "Classifier-free guidance scale; 1 or less disables guidance (default: " + GenerationRequest.GUIDANCE
                    + ", or " + StorybookModel.GUIDANCE + " on the embedded storybook model).")
    Double guidance;

    @Option(names = "--negative-guidance", paramLabel = "SCALE",
            description = "Give the negative prompt a guidance branch and scale of its own: the step follows"
                    + " uncond + g*(prompt - uncond) - SCALE*(negative - uncond), at 1.5x the cost of plain guidance."
                    + " Without it the negative prompt replaces the empty prompt, as in diffusers (the same as SCALE = g - 1),"
                    + " except on the embedded storybook model, where SCALE is " + StorybookModel.NEGATIVE_GUIDANCE + ".")
    Double negativeGuidance;

    @Option(names = "--scheduler", paramLabel = "NAME", converter = SchedulerConverter.class,
            description = "ddim, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, ddpm or pndm (default: the model's own).")
    SchedulerKind scheduler;

    @Option(names = {"-W", "--width"}, description = "Image width in pixels, a multiple of 8 (default: the model's native size).")
    Integer width;

    @Option(names = {"-H", "--height"}, description = "Image height in pixels, a multiple of 8 (default: the model's native size).")
    Integer height;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the first image, 0 to 2^64-1; image i uses seed + i - 1 (default, or -1: random, printed).")
    String seed;

    @Option(names = {"-b", "--batch-size"}, description = "Images to generate from one prompt (default: 1, or one per --prompt).")
    Integer batchSize;

    @Option(names = "--max-batch", paramLabel = "N",
            description = "Images denoised together; larger batches run in parts of N, each image written as its part"
                    + " finishes (default: what fits in a quarter of this machine's memory, at most 64).")
    Integer maxBatch;

    @Option(names = "--clip-skip", defaultValue = "1",
            description = "AUTOMATIC1111 clip skip: 1 = last text-encoder layer, 2 = penultimate (SD 1.x/2.x; default: ${DEFAULT-VALUE}).")
    int clipSkip;

    @Option(names = "--init-image", paramLabel = "FILE", description = "img2img: start from this image (resized to the output size).")
    Path initImage;

    @Option(names = "--strength",
            description = "img2img: how much of the schedule runs, in (0, 1]; 1 ignores the image (default: " + DEFAULT_STRENGTH + ").")
    Double strength;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "PNG to write; with several images -1, -2, ... are added before .png. A folder (or a path ending"
                    + " in /) gets inkwell-SEED.png files (default: inkwell-SEED.png here).")
    Path output;

    @Option(names = "--overwrite", description = "Replace existing output files.")
    boolean overwrite;

    @Mixin
    PrecisionOption precisionOption;

    @Option(names = "--init-noise", paramLabel = "FILE.safetensors",
            description = "Initial standard-normal latents (one tensor [batch,C,h,w]) instead of seeded noise.")
    Path initNoise;

    @Option(names = "--grid", paramLabel = "FILE.png",
            description = "Also write all images of the batch as one grid, enlarged to at least 128 pixels per image.")
    Path grid;

    @Option(names = "--save-latents", paramLabel = "FILE.safetensors",
            description = "Also write the final latents (tensor 'latents') before VAE decoding.")
    Path saveLatents;

    @Override
    public Integer call() throws Exception {
        if (model != null && !Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (maxBatch != null && maxBatch <= 0) {
            throw new IllegalArgumentException("--max-batch must be positive, not " + maxBatch);
        }
        Path modelPath = model != null ? model : StorybookModel.folder();
        String modelName = model != null ? model.getFileName().toString() : StorybookModel.NAME;
        List<String> batchPrompts = batchPrompts();
        float[] noise = initNoise == null ? null : readNoise(initNoise);
        BufferedImage image = initImage == null ? null : Images.read(initImage);
        long firstSeed = Seeds.parse(seed);
        // Everything that can be refused is refused here, before the model loads and the slow part runs.
        GenerationRequest asked = new GenerationRequest(batchPrompts.stream().map(Prompt::of).toList(),
                negatives(batchPrompts.size()), width == null ? GenerationRequest.NATIVE_SIZE : width,
                height == null ? GenerationRequest.NATIVE_SIZE : height, steps, guidance(), negativeGuidance(), scheduler,
                firstSeed, clipSkip, noise, image, strength == null ? DEFAULT_STRENGTH : strength);
        List<Outputs.Target> targets = new ArrayList<>();
        for (int i = 0; i < batchPrompts.size(); i++) {
            targets.add(new Outputs.Target(outputPath(i, batchPrompts.size(), firstSeed + i), "-o"));
        }
        if (grid != null) {
            targets.add(new Outputs.Target(grid, "--grid"));
        }
        if (saveLatents != null) {
            targets.add(new Outputs.Target(saveLatents, "--save-latents"));
        }
        Outputs.check(targets, overwrite);
        List<Adapter> adapters = adapterOptions.read();
        List<String> texts = new ArrayList<>(batchPrompts);
        if (asked.negativePrompts() != null) {
            texts.addAll(asked.negativePrompts());
        }
        AdapterOptions.checkTokens(texts, adapters);
        warnIgnored(asked);
        PrintWriter out = spec.commandLine().getOut();
        long loadStart = System.nanoTime();
        try (StableDiffusion sd = StableDiffusion.load(modelPath, precisionOption.precision,
                new LoadOptions(configFolder, predictionType, adapters, true))) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            GenerationRequest request = asked.withNativeSize(sd.nativeSize());
            long memory = BatchMemory.physicalMemory();
            BatchMemory.checkFits(request, memory);
            warnIgnored(request, sd);
            int perRun = maxBatch != null ? maxBatch : BatchMemory.defaultMaxBatch(request, memory);
            int count = request.batchSize();
            int runs = (count + perRun - 1) / perRun;
            InfoText.Model infoModel = InfoText.Model.of(modelName, sd);
            TextToImage pipeline = new TextToImage(sd);
            List<BufferedImage> images = new ArrayList<>();
            float[] allLatents = null;
            long[] latentShape = null;
            long start = System.nanoTime();
            try (ProgressBar bar = ProgressBars.of("denoising", (long) runs * steps, " steps")) {
                for (int run = 0; run < runs; run++) {
                    int from = run * perRun;
                    int done = run;
                    GenerationResult result = pipeline.generate(request.slice(from, Math.min(count, from + perRun)),
                            (step, total) -> {
                                bar.maxHint((long) runs * total);
                                bar.stepTo((long) done * total + step);
                            });
                    for (int i = 0; i < result.images().size(); i++) {
                        int index = from + i;
                        Path target = outputPath(index, count, result.seeds()[i]);
                        String info = InfoText.of(request, index, result.scheduler(), result.seeds()[i], infoModel,
                                AdapterOptions.infoFields(adapters));
                        Images.writePng(result.images().get(i), target, overwrite, Map.of("parameters", info));
                        out.println("wrote " + target + " (seed " + Long.toUnsignedString(result.seeds()[i]) + ")");
                    }
                    if (grid != null) {
                        images.addAll(result.images());
                    }
                    if (saveLatents != null) {
                        int perImage = result.latents().length / result.images().size();
                        if (allLatents == null) {
                            allLatents = new float[count * perImage];
                            latentShape = result.latentShape().clone();
                            latentShape[0] = count;
                        }
                        System.arraycopy(result.latents(), 0, allLatents, from * perImage, result.latents().length);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (grid != null) {
                int zoom = Math.max(1, 128 / images.get(0).getWidth());
                int columns = (int) Math.ceil(Math.sqrt(images.size()));
                Images.writePng(Images.grid(images, columns, zoom), grid, overwrite, Map.of());
                out.println("wrote " + grid);
            }
            if (saveLatents != null) {
                float[] latents = allLatents;
                long[] shape = latentShape;
                AtomicFiles.write(saveLatents, overwrite, file -> SafeTensorsWriter.write(file, Map.of("latents",
                        SafeTensorsWriter.Tensor.ofFloats(shape, latents))));
                out.println("wrote " + saveLatents);
            }
            out.printf(Locale.ROOT, "%d image%s in %.1f s, %.2f s per image (%d step%s each, %s; model loaded in %.1f s)%n",
                    count, count == 1 ? "" : "s", seconds, seconds / count, steps, steps == 1 ? "" : "s",
                    sd.precision().label(), loadSeconds);
        }
        return 0;
    }

    /** Warnings for options that will have no effect, so that nothing is silently ignored. */
    private void warnIgnored(GenerationRequest request) {
        if (strength != null && initImage == null) {
            warn("--strength has no effect without --init-image");
        }
        boolean anyNegative = negativePrompts != null && negativePrompts.stream().anyMatch(n -> !n.isEmpty());
        if (anyNegative && request.guidance() <= 1.0) {
            warn("-n has no effect at guidance " + request.guidance() + " (guidance <= 1 runs the prompt alone)");
        }
        if (negativeGuidance != null && !anyNegative) {
            warn("--negative-guidance has no effect without a negative prompt (-n)");
        }
    }

    /** The warnings that need the loaded model. */
    private void warnIgnored(GenerationRequest request, StableDiffusion sd) {
        if (clipSkip != 1 && sd.family() == ModelFamily.SDXL) {
            warn("--clip-skip has no effect on SDXL models (they always read the penultimate layers)");
        }
        int n = sd.nativeSize();
        if (request.width() < n / 2 || request.width() > 2 * n || request.height() < n / 2 || request.height() > 2 * n) {
            warn(request.width() + "x" + request.height() + " is far from the model's native " + n + "x" + n
                    + "; expect broken or repeated compositions");
        }
    }

    private void warn(String message) {
        spec.commandLine().getErr().println("inkwell: warning: " + message);
    }

    private List<String> batchPrompts() {
        if (batchSize == null) {
            return prompts;
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, not " + batchSize);
        }
        if (prompts.size() != 1) {
            throw new IllegalArgumentException("--batch-size repeats one prompt; with several --prompt options leave it out");
        }
        return Collections.nCopies(batchSize, prompts.get(0));
    }

    /** The given scale, else the embedded storybook model's own or SD's usual one. */
    private double guidance() {
        return guidance != null ? guidance : defaults().guidance();
    }

    /** The given negative scale, else the model's default: the embedded model's own, none for a checkpoint. */
    private Double negativeGuidance() {
        return negativeGuidance != null ? negativeGuidance : defaults().negativeGuidance();
    }

    /** What a library caller gets for the model: {@link StorybookModel#request} or {@link GenerationRequest#of}. */
    private GenerationRequest defaults() {
        return model == null ? StorybookModel.request("") : GenerationRequest.of("");
    }

    private List<String> negatives(int count) {
        if (negativePrompts == null) {
            return null;
        }
        if (negativePrompts.size() == 1) {
            return Collections.nCopies(count, negativePrompts.get(0));
        }
        if (negativePrompts.size() != count) {
            throw new IllegalArgumentException("give one --negative-prompt for all images or one per prompt ("
                    + count + "), not " + negativePrompts.size());
        }
        return new ArrayList<>(negativePrompts);
    }

    private Path outputPath(int index, int count, long imageSeed) {
        String seedName = "inkwell-" + Long.toUnsignedString(imageSeed) + ".png";
        if (output == null) {
            return Path.of(seedName);
        }
        if (Files.isDirectory(output) || output.toString().endsWith("/")) {
            return output.resolve(seedName);
        }
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0 && !name.substring(dot).equalsIgnoreCase(".png")) {
            throw new IllegalArgumentException("-o " + output + ": Inkwell writes PNG images; name the file .png");
        }
        if (count == 1) {
            return output;
        }
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return output.resolveSibling(stem + "-" + (index + 1) + ".png");
    }

    /** The one tensor of a safetensors file of initial noise. */
    static float[] readNoise(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            if (st.entries().size() != 1) {
                throw new IllegalArgumentException(file + ": --init-noise needs exactly one tensor, found " + st.entries().size());
            }
            TensorEntry e = st.entries().values().iterator().next();
            return st.floats(e.name());
        }
    }
}
