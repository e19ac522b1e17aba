package dev.inkwell.cli;

import dev.inkwell.image.Images;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.GenerationResult;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Text to image from a diffusers model folder. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images from a text prompt.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Option(names = {"-p", "--prompt"}, required = true, description = "What to draw.")
    String prompt;

    @Option(names = {"-n", "--negative-prompt"}, description = "What to steer away from (replaces the empty prompt in guidance).")
    String negativePrompt;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A diffusers model folder.")
    Path model;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"-g", "--guidance"}, defaultValue = "7.5",
            description = "Classifier-free guidance scale; 1 or less disables guidance (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--scheduler", paramLabel = "NAME", converter = SchedulerConverter.class,
            description = "ddim, euler, euler_a, dpmpp_2m, dpmpp_2m_karras or ddpm (default: the model's own).")
    SchedulerKind scheduler;

    @Option(names = {"-W", "--width"}, description = "Image width in pixels, a multiple of 8 (default: the model's native size).")
    Integer width;

    @Option(names = {"-H", "--height"}, description = "Image height in pixels, a multiple of 8 (default: the model's native size).")
    Integer height;

    @Option(names = "--seed", description = "Seed of image 1; image i uses seed + i - 1 (default: random, printed).")
    Long seed;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "1", description = "Images to generate (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "PNG to write; with a batch, -1, -2, ... are added before .png (default: inkwell-SEED.png).")
    Path output;

    @Option(names = "--overwrite", description = "Replace existing output files.")
    boolean overwrite;

    @Option(names = "--precision", defaultValue = "float32", converter = PrecisionConverter.class,
            description = "Compute precision: float32, float16 or bfloat16 (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--init-noise", paramLabel = "FILE.safetensors",
            description = "Initial standard-normal latents (one tensor [batch,C,h,w]) instead of seeded noise.")
    Path initNoise;

    @Option(names = "--save-latents", paramLabel = "FILE.safetensors",
            description = "Also write the final latents (tensor 'latents') before VAE decoding.")
    Path saveLatents;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("model folder not found: " + model);
        }
        float[] noise = initNoise == null ? null : readNoise(initNoise);
        long firstSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(0, 1L << 32);
        try (StableDiffusion sd = StableDiffusion.load(model, precision)) {
            int native_ = sd.unet().config().sampleSize() * sd.vaeScale();
            GenerationRequest request = new GenerationRequest(prompt, negativePrompt,
                    width == null ? native_ : width, height == null ? native_ : height, steps, guidance,
                    scheduler, firstSeed, batchSize, noise);
            GenerationResult result;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("denoising").setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .setUnit(" steps", 1).build()) {
                result = new TextToImage(sd).generate(request, (step, total) -> bar.stepTo(step));
            }
            for (int i = 0; i < result.images().size(); i++) {
                Path target = outputPath(i, result.seeds()[i]);
                Images.writePng(result.images().get(i), target, overwrite);
                out().println("wrote " + target + " (seed " + result.seeds()[i] + ")");
            }
            if (saveLatents != null) {
                SafeTensorsWriter.write(saveLatents, Map.of("latents",
                        SafeTensorsWriter.Tensor.ofFloats(result.latentShape(), result.latents())));
                out().println("wrote " + saveLatents);
            }
        }
        return 0;
    }

    private Path outputPath(int index, long imageSeed) {
        if (output == null) {
            return Path.of("inkwell-" + imageSeed + ".png");
        }
        if (batchSize == 1) {
            return output;
        }
        String name = output.getFileName().toString();
        String stem = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return output.resolveSibling(stem + "-" + (index + 1) + ".png");
    }

    private static float[] readNoise(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            if (st.entries().size() != 1) {
                throw new IllegalArgumentException(file + ": --init-noise needs exactly one tensor, found " + st.entries().size());
            }
            TensorEntry e = st.entries().values().iterator().next();
            return st.floats(e.name());
        }
    }
}
