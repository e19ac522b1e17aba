package dev.inkwell.train;

import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.vae.LatentDistribution;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.RandomSource;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.Sample;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains Inkwell's own small {@link AutoencoderKL} on storybook scenes rendered on the fly, and
 * exports it in diffusers layout ({@code vae/config.json} + {@code vae/diffusion_pytorch_model.safetensors}).
 * The objective is SD's without its perceptual and adversarial terms: per sample, the L1
 * reconstruction error summed over pixels plus {@code klWeight} times the KL divergence of the
 * posterior from N(0, 1) summed over latents; divided by the pixel count so that the loss reads as
 * a mean absolute error in [-1, 1] units. L1 rather than MSE because it blurs less. In place of SD's
 * perceptual term, Inkwell adds {@code edgeWeight} times the L1 error of horizontal and vertical
 * pixel differences: outlines, eyes and patterns are few pixels, so plain L1 barely rewards them,
 * while they are what tells subjects apart (0 gives SD's objective). All randomness
 * of step {@code n} (its scenes and its posterior noise) derives from (seed, n), as in
 * {@link EpsilonTrainer}, so a resumed run continues bit for bit.
 */
public final class VaeTrainer {
    /** The resumable state {@link #trainToFolder} keeps beside {@code vae/}. */
    public static final String CHECKPOINT = "vae-training.safetensors";
    /** Scenes the scaling factor is measured on. */
    public static final int SCALING_SAMPLE = 64;

    /**
     * @param klWeight SD used 1e-6 (with the same per-sample sums), which leaves latents nearly
     *     unregularised; the scaling factor then brings them to unit variance for diffusion
     * @param edgeWeight weight of the L1 error of pixel differences (0: SD's objective)
     * @param warmupSteps the learning rate rises linearly over these first steps
     * @param emaDecay 0 for no EMA; otherwise the decay ramps up as {@code (1+n)/(10+n)} so that
     *     short runs are not dominated by the random initialisation
     */
    public record Settings(VaeConfig config, long seed, int steps, int batchSize, double learningRate,
            int warmupSteps, double klWeight, double edgeWeight, double maxGradNorm, double emaDecay, int checkpointEvery,
            int logEvery) {

        public static Settings defaults(long seed, int steps) {
            return new Settings(defaultConfig(), seed, steps, 8, 1e-3, 100, 1e-6, 1.0, 1.0, 0.999, 200, 10);
        }

        double learningRate(long step) {
            return TrainingSteps.warmupLearningRate(step, learningRate, warmupSteps);
        }
    }

    /**
     * @param reconstruction mean absolute error in [-1, 1] units of the sampled reconstruction
     * @param edges mean absolute error of its horizontal and vertical pixel differences
     * @param kl KL divergence per sample, summed over latents
     */
    public record StepResult(double reconstruction, double edges, double kl, double gradNorm) {}

    /** Reconstruction quality from the posterior mean, in 0..255 units. */
    public record Quality(double meanAbsError, double psnr) {}

    private final AutoencoderKL vae;
    private final AdamW optimizer;
    private final Ema ema;
    private final Settings settings;

    /**
     * @param optimizer over {@code vae.parameters()}
     * @param ema over {@code vae.parameters()}, or null
     */
    public VaeTrainer(AutoencoderKL vae, AdamW optimizer, Ema ema, Settings settings) {
        this.vae = vae;
        this.optimizer = optimizer;
        this.ema = ema;
        this.settings = settings;
    }

    /**
     * The embedded model's VAE: 64 px to 16x16x4 latents through channels [32, 64, 64], one resnet per
     * block, 16 groups and mid-block attention. Sized for training on two CPU cores: the storybook
     * world's flat shapes and outlines need little capacity, and the decoder's 64 px level dominates
     * the cost, so it stays at 32 channels.
     */
    public static VaeConfig defaultConfig() {
        return new VaeConfig(3, 3, 4, new int[] {32, 64, 64}, 1, 16, 1.0, 0.0, true, true, true, true,
                Renderer.DEFAULT_SIZE);
    }

    /**
     * A freshly initialised model. {@link RandomSource}'s init suits training from scratch: fan-in
     * scaled weights keep activations near unit variance (the GroupNorms rescale them anyway), with
     * unit norm scales and zero biases as PyTorch initialises them.
     */
    public static AutoencoderKL fresh(VaeConfig config, long seed) {
        return new AutoencoderKL(config, new RandomSource(seed), Precision.FLOAT32);
    }

    /** {@code count} scenes drawn and rendered from {@code seed}, as {@code [count, 3, 64, 64]} in [-1, 1]. */
    public static Tensor scenes(long seed, int count) {
        return Images.toTensor(Sample.images(Sample.draw(seed, count)));
    }

    /** Training step number {@code step} (0-based) on a fresh batch; frees every tensor it creates. */
    public StepResult step(long step) {
        SplittableRandom random = TrainingSteps.random(settings.seed(), step);
        try (PointerScope scope = new PointerScope()) {
            Tensor images = scenes(random.nextLong(), settings.batchSize());
            LatentDistribution posterior = vae.encode(images);
            Tensor reconstructed = vae.decode(posterior.sample(noise(posterior.mean(), random.nextLong())));
            Tensor error = reconstructed.sub(images);
            Tensor reconstruction = error.abs().mean();
            Tensor edges = differences(error, 2).abs().mean().add(differences(error, 3).abs().mean());
            Tensor kl = posterior.mean().square().add(posterior.logvar().exp()).sub(new Scalar(1.0))
                    .sub(posterior.logvar()).sum().mul(new Scalar(0.5 / settings.batchSize()));
            double pixels = images.numel() / (double) settings.batchSize();
            Tensor loss = reconstruction.add(edges.mul(new Scalar(settings.edgeWeight())))
                    .add(kl.mul(new Scalar(settings.klWeight() / pixels)));
            double reconstructionValue = reconstruction.item_double();
            double edgesValue = edges.item_double();
            double klValue = kl.item_double();
            double gradNorm = TrainingSteps.update(loss, optimizer, ema, step, settings.maxGradNorm(),
                    settings.learningRate(step));
            return new StepResult(reconstructionValue, edgesValue, klValue, gradNorm);
        }
    }

    /** Neighbouring pixels' differences of {@code x} along dimension {@code dim}. */
    private static Tensor differences(Tensor x, int dim) {
        long n = x.size(dim) - 1;
        return x.narrow(dim, 1, n).sub(x.narrow(dim, 0, n));
    }

    /** How well {@code vae} reconstructs {@code images} from the posterior mean, clamped to the image range. */
    public static Quality quality(AutoencoderKL vae, Tensor images) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor error = vae.reconstruct(images).sub(images).mul(new Scalar(127.5));
            double mse = error.square().mean().item_double();
            return new Quality(error.abs().mean().item_double(), 10 * Math.log10(255.0 * 255.0 / mse));
        }
    }

    /**
     * The latent scaling factor as SD measured it: {@code 1 / std} over all elements of posterior
     * samples (noise drawn from {@code seed}) of {@code images}, so that scaled latents have unit
     * variance, which the diffusion noise schedule assumes.
     */
    public static double scalingFactor(AutoencoderKL vae, Tensor images, long seed) {
        float[] z;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            LatentDistribution posterior = vae.encode(images);
            z = Torch.toFloats(posterior.sample(noise(posterior.mean(), seed)));
        }
        double sum = 0;
        for (float v : z) {
            sum += v;
        }
        double mean = sum / z.length;
        double squares = 0;
        for (float v : z) {
            squares += (v - mean) * (v - mean);
        }
        return 1 / Math.sqrt(squares / (z.length - 1));
    }

    /** Writes {@code config.json} and {@code diffusion_pytorch_model.safetensors} (float32) into {@code folder}. */
    public static void save(Path folder, VaeConfig config, Map<String, Tensor> parameters) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), config.toJson());
ParameterFiles.write(folder.resolve("diffusion_pytorch_model.safetensors"), parameters);
    }

    /**
     * Trains a fresh VAE for {@code settings.steps()} steps, resuming from {@link #CHECKPOINT} in
     * {@code modelFolder} if present (saved there every {@code checkpointEvery} steps and at the end),
     * then measures the scaling factor and replaces {@code modelFolder/vae} atomically with the
     * trained model (the EMA weights when there is an EMA).
     */
    public static void trainToFolder(Path modelFolder, Settings settings, LossLog losses, PrintWriter log) throws IOException {
        Path checkpoint = modelFolder.resolve(CHECKPOINT);
        Files.createDirectories(modelFolder);
        try (AutoencoderKL vae = fresh(settings.config(), settings.seed());
                AdamW optimizer = new AdamW(vae.parameters(), AdamW.Options.DEFAULT);
                Ema ema = settings.emaDecay() > 0 ? new Ema(vae.parameters(), settings.emaDecay()) : null) {
            VaeTrainer trainer = new VaeTrainer(vae, optimizer, ema, settings);
            TrainingRun.run(new TrainingRun.Plan("vae", settings.seed(), settings.steps(), settings.checkpointEvery(),
                    settings.logEvery()), checkpoint, vae.parameters(), optimizer, ema, step -> {
                        StepResult result = trainer.step(step);
                        return Map.of("L1", result.reconstruction(), "edges", result.edges(), "KL", result.kl());
                    }, losses, log);
            if (ema != null) {
                ema.copyToParameters();
            }
            double scale;
            try (Tensor sample = scenes(settings.seed() ^ 0x5CA1EL, SCALING_SAMPLE)) {
                scale = scalingFactor(vae, sample, settings.seed());
            }
            VaeConfig trained = settings.config().withScalingFactor(scale);
            AtomicFiles.replaceFolder(modelFolder.resolve("vae"), folder -> save(folder, trained, vae.parameters()));
            log.printf(Locale.ROOT, "wrote %s (scaling_factor %.5f)%n", modelFolder.resolve("vae"), scale);
            log.flush();
        }
    }

    private static Tensor noise(Tensor like, long seed) {
        torch.manual_seed(seed);
        return torch.randn(like.sizes().vec().get(), new TensorOptions(like.scalar_type()));
    }
}
