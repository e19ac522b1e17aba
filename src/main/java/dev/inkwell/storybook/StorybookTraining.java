package dev.inkwell.storybook;

import dev.inkwell.clip.Clip;
import dev.inkwell.clip.ClipTrainer;
import dev.inkwell.io.AtomicFiles;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.JudgeTrainer;
import dev.inkwell.nn.Config;
import dev.inkwell.scheduler.NoiseSchedule;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.text.ClipTextModel;
import dev.inkwell.tokenizer.ClipTokenizer;
import dev.inkwell.train.AdamW;
import dev.inkwell.train.Ema;
import dev.inkwell.train.EpsilonTrainer;
import dev.inkwell.train.LossLog;
import dev.inkwell.train.TrainingRun;
import dev.inkwell.train.TrainingSteps;
import dev.inkwell.train.VaeTrainer;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.ComponentFiles;
import dev.inkwell.weights.ParameterFiles;
import dev.inkwell.weights.RandomSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * {@code inkwell train storybook}: every model of the default model, from scratch, in order: the CLIP
 * (contrastive), the VAE, the UNet on VAE latents conditioned on the frozen text encoder's last layer
 * (after its final LayerNorm, as SD 1.x; the text encoder is the CLIP tower's first
 * {@link StorybookConfigs#TEXT_ENCODER_LAYERS} layers), then the judge that scores generations. Each
 * stage checkpoints and resumes; a finished stage is skipped, so the command can simply be run again
 * after an interruption. All losses go to {@code losses.csv} and {@code losses.png} in the run folder;
 * the model, in diffusers layout (float32), to {@code model/}, with the judge in {@code model/judge/},
 * and its float16 copy to {@code model-fp16/}.
 */
public final class StorybookTraining {
    public static final String MODEL = "model";
    /**
     * The float16 copy the project ships: copy its contents to
     * {@code src/main/resources/dev/inkwell/storybook/model/} to make it the default model.
     */
    public static final String SHIPPED = "model-fp16";
    /** The judge's folder inside the model folder. */
    public static final String JUDGE = "judge";

    /**
     * The UNet stage's schedule: linear warmup, constant rate, EMA of the weights.
     *
     * @param poolSize how many scenes the stage draws and encodes once, for all its steps to take their batches from
     *     ({@link LatentPool})
     * @param snrGamma Min-SNR-γ timestep weighting ({@link EpsilonTrainer.Settings#snrGamma}); 0 for DDPM's plain loss
     * @param subjectEmphasis extra weight in the loss of the latent cells where the subject is drawn; 0 for none
     * @param accessoryEmphasis extra weight, on top, of the cells where a caption's named accessory is drawn; 0 for
     *     none (the two: {@link LatentPool#emphasis})
     */
    public record UNetSettings(long steps, int batchSize, int poolSize, double learningRate, long warmupSteps,
            double captionDropout, double emaDecay, double snrGamma, double subjectEmphasis, double accessoryEmphasis,
            long checkpointEvery, long logEvery) {}

    public record Settings(long seed, JudgeTrainer.Settings judge, ClipTrainer.Settings clip, VaeTrainer.Settings vae,
            UNetSettings unet) {

        /**
         * The full run, about 119 minutes on two idle CPU cores (CLIP 8.1 minutes, VAE 22.3, UNet 60 with
         * its pool, judge 29.0), inside the two-hour budget (docs/storybook-model.md).
         */
        public static Settings full(long seed) {
            return new Settings(seed, JudgeTrainer.Settings.full(seed), new ClipTrainer.Settings(seed, 1500, 128, 1e-3, 100, 1.0, 1.0, 100, 20),
                    VaeTrainer.Settings.defaults(seed, 7200), new UNetSettings(8000, 32, 65536, 8e-4, 100, 0.1, 0.999, 5, 2, 2, 100, 20));
        }
    }

    private StorybookTraining() {}

    /** The tokenizer of the default model: CLIP's vocabulary, padded with the end token as SD 1.x. */
    public static ClipTokenizer tokenizer() {
        return ClipTokenizer.openAiDefault();
    }

    public static void run(Path out, Settings settings, PrintWriter log) throws IOException {
        Path model = out.resolve(MODEL);
        Files.createDirectories(model);
        LossLog losses = new LossLog(out);
        if (!Clip.existsIn(model)) {
            trainClip(model, settings.clip(), losses, log);
        }
        if (!Files.isDirectory(model.resolve("vae"))) {
            VaeTrainer.trainToFolder(model, settings.vae(), losses, log);
        }
        writePipelineFiles(model);
        if (!Files.isDirectory(model.resolve("unet"))) {
            trainUNet(model, settings.seed(), settings.unet(), losses, log);
        }
        Path judgeFolder = model.resolve(JUDGE);
        if (!Files.exists(judgeFolder.resolve(Judge.WEIGHTS_FILE))) {
            try (AutoencoderKL vae = AutoencoderKL.load(model.resolve("vae"), ComponentFiles.open(model.resolve("vae")),
                    Precision.FLOAT32)) {
                JudgeTrainer.trainToFolder(judgeFolder, settings.judge(), vae, losses, log);
            }
        }
        StorybookModel.export(model, out.resolve(SHIPPED));
        log.printf("model written to %s (float32) and %s (float16, as shipped)%n", model, out.resolve(SHIPPED));
        log.flush();
    }

    public static void trainClip(Path model, ClipTrainer.Settings settings, LossLog losses, PrintWriter log) throws IOException {
        Path checkpoint = model.resolve("clip-training.safetensors");
        try (Clip clip = Clip.fresh(StorybookConfigs.text(), StorybookConfigs.vision(), settings.seed());
                ClipTrainer trainer = new ClipTrainer(clip, tokenizer(), settings)) {
            trainer.run(checkpoint, losses, log);
            clip.save(model, StorybookConfigs.TEXT_ENCODER_LAYERS);
        }
    }

    /**
     * Tokenizer (with the CLIP vocabulary's licence beside it), scheduler and model index: the parts
     * of the pipeline that are not trained.
     */
    static void writePipelineFiles(Path model) throws IOException {
        tokenizer().save(model.resolve("tokenizer"));
        ClipTokenizer.saveOpenAiLicence(model.resolve("tokenizer"));
        Files.createDirectories(model.resolve("scheduler"));
        Files.writeString(model.resolve("scheduler/scheduler_config.json"), Config.toJson(StorybookConfigs.schedulerFields()));
        Files.writeString(model.resolve("model_index.json"), Config.toJson(StorybookConfigs.modelIndex()));
    }

    public static void trainUNet(Path model, long seed, UNetSettings settings, LossLog losses, PrintWriter log) throws IOException {
        Path checkpoint = model.resolve("unet-training.safetensors");
        ClipTokenizer tokenizer = tokenizer();
        NoiseSchedule schedule = SchedulerKind.DDPM.create(
                SchedulerConfig.read(model.resolve("scheduler/scheduler_config.json"))).schedule();
        try (ClipTextModel text = ClipTextModel.load(model.resolve("text_encoder"),
                        ComponentFiles.open(model.resolve("text_encoder")), Precision.FLOAT32);
                LatentPool pool = latentPool(model, seed, settings.poolSize(), tokenizer, log);
                UNet2DConditionModel unet = new UNet2DConditionModel(StorybookConfigs.unet(), new RandomSource(seed),
                        Precision.FLOAT32);
                AdamW optimizer = new AdamW(unet.parameters(), AdamW.Options.DEFAULT);
                Ema ema = new Ema(unet.parameters(), settings.emaDecay());
                Tensor empty = encode(text, tokenizer.encodeForModel(List.of("")))) {
            EpsilonTrainer trainer = new EpsilonTrainer(unet, schedule, optimizer, ema, empty,
                    new EpsilonTrainer.Settings(seed, settings.captionDropout(), 1.0, settings.snrGamma()));
            TrainingRun.run(new TrainingRun.Plan("unet", seed, settings.steps(), settings.checkpointEvery(),
                    settings.logEvery()), checkpoint, unet.parameters(), optimizer, ema, step -> {
                        SplittableRandom random = TrainingSteps.random(~seed, step);
                        long[] batch = new long[settings.batchSize()];
                        Arrays.setAll(batch, i -> random.nextInt(pool.size()));
                        try (PointerScope scope = new PointerScope()) {
                            Tensor context = encode(text, pool.ids(batch));
                            double lr = TrainingSteps.warmupLearningRate(step, settings.learningRate(),
                                    settings.warmupSteps());
                            return Map.of(settings.snrGamma() == 0 ? "mse" : "min-SNR mse",
                                    trainer.step(step, pool.latents(batch), context,
                                            pool.emphasis(batch, settings.subjectEmphasis(), settings.accessoryEmphasis()),
                                            lr).loss());
                        }
                    }, losses, log);
            ema.copyToParameters();
            AtomicFiles.replaceFolder(model.resolve("unet"), folder -> {
                Files.writeString(folder.resolve("config.json"), Config.toJson(StorybookConfigs.unetFields()));
                ParameterFiles.write(folder.resolve("diffusion_pytorch_model.safetensors"), unet.parameters());
            });
        }
    }

    /** The UNet's training scenes as latents, encoded by the trained VAE (which is closed again). */
    private static LatentPool latentPool(Path model, long seed, int size, ClipTokenizer tokenizer, PrintWriter log) {
        try (AutoencoderKL vae = AutoencoderKL.load(model.resolve("vae"), ComponentFiles.open(model.resolve("vae")),
                Precision.FLOAT32)) {
            return LatentPool.loadOrBuild(model.resolve("unet-latents-training.safetensors"), vae, tokenizer, seed,
                    size, log);
        }
    }

    /** The text encoder's last layer (after the final LayerNorm) for 77-token rows, without gradients. */
    private static Tensor encode(ClipTextModel text, long[][] ids) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return Torch.scoped(() -> text.encode(ids).lastHiddenState());
        }
    }
}
