package dev.inkwell.personalize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.adapter.Adapter;
import dev.inkwell.adapter.AdapterFiles;
import dev.inkwell.image.Images;
import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ModelFamily;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.train.LossLog;
import dev.inkwell.train.TrainingRun;
import dev.inkwell.train.TrainingSteps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Learning concepts from a few pictures, ClassDiffusion's way: Custom Diffusion (cross-attention
 * keys and values and a new token) with the Semantic Preservation Loss, the released script's
 * augmentation, optimizer and defaults. The result is an adapter folder diffusers can load.
 */
public final class Personalization {
    /** The checkpoint inside the output folder; {@code resume} continues from it. */
    public static final String CHECKPOINT = AdapterFiles.CHECKPOINT;

    /**
     * @param learningRate before scaling; the original multiplies it by the batch size ({@code --scale_lr})
     * @param scaleLearningRate whether to scale it so
     * @param resolution the training side in pixels, 0 for the model's native size
     * @param validationPrompt generated every {@code validateEvery} steps into {@code validation/}, or {@code null}
     * @param keyValues whether the cross-attention keys and values train (off: textual inversion, the token alone)
     * @param priorLossWeight the prior-preservation loss's weight when class pictures are given (0: off)
     */
    public record Settings(int steps, int batchSize, double learningRate, boolean scaleLearningRate, double splWeight,
            Pooling pooling, boolean releasedTokenDecay, long seed, int resolution, boolean flip, int checkpointEvery,
            String validationPrompt, int validateEvery, boolean keyValues, double priorLossWeight) {
        public Settings {
            if (steps <= 0 || batchSize <= 0 || checkpointEvery <= 0 || validateEvery <= 0) {
                throw new IllegalArgumentException("steps, batch size and intervals must be positive");
            }
            if (!(learningRate > 0 && learningRate < 1)) {
                throw new IllegalArgumentException("the learning rate must be in (0, 1), not " + learningRate);
            }
            if (!(splWeight >= 0 && splWeight <= 100)) {
                throw new IllegalArgumentException("the SPL weight must be from 0 to 100, not " + splWeight);
            }
            if (!(priorLossWeight >= 0 && priorLossWeight <= 100)) {
                throw new IllegalArgumentException("the prior loss weight must be from 0 to 100, not " + priorLossWeight);
            }
            if (resolution < 0 || resolution % 8 != 0) {
                throw new IllegalArgumentException("the resolution must be a multiple of 8 (0: native), not " + resolution);
            }
        }

        /** The released scripts' settings: 500 steps, batch 2, 1e-5 scaled, SPL 1 at the EOS token, flips, seed 42. */
        public static Settings defaults() {
            return new Settings(500, 2, 1e-5, true, 1.0, Pooling.EOS, false, 42, 0, true, 250, null, 50, true, 0);
        }

        /** The learning rate the optimizer runs with: scaled by the batch size, and doubled with prior preservation, as the original. */
        public double effectiveLearningRate() {
            return scaleLearningRate ? learningRate * batchSize * (priorLossWeight > 0 ? 2 : 1) : learningRate;
        }
    }

    private Personalization() {}

    /**
     * {@code model} with the concepts' tokens added, each row starting as its initializer's
     * vocabulary entry (the raw entry, e.g. "ktn", not the tokenized word), in float32.
     */
    public static StableDiffusion load(Path model, List<Concept> concepts, LoadOptions options) {
        Map<String, float[]> rows = new LinkedHashMap<>();
        try (StableDiffusion base = StableDiffusion.load(model, Precision.FLOAT32, options)) {
            if (base.family() == ModelFamily.SDXL) {
                throw new IllegalArgumentException("personalize trains SD 1.x/2.x models and the embedded model, not SDXL"
                        + " (SDXL embeddings and key/value weights made elsewhere load with --adapter)");
            }
            Tensor table = base.textEncoder().parameters().get(TrainableParameters.TOKEN_EMBEDDING);
            for (Concept c : concepts) {
                int id = base.tokenizer().idOf(c.initializer()).orElseThrow(() -> new IllegalArgumentException(
                        "the initializer '" + c.initializer() + "' is not an entry of the model's vocabulary"));
                rows.put(c.token(), Torch.toFloats(table.select(0, id)));
            }
        }
        List<Adapter> adapters = new ArrayList<>(options.adapters());
        adapters.add(new Adapter(rows, Map.of()));
        return StableDiffusion.load(model, Precision.FLOAT32, options.withAdapters(adapters));
    }

    /**
     * Trains the concepts on {@code model} (loaded by {@link #load}) and writes the adapter into
     * {@code out}, resuming from its checkpoint if there is one.
     *
     * @param baseName recorded in the adapter's description
     */
    /**
     * @param classData class pictures for prior preservation (with {@link Settings#priorLossWeight} above 0), or {@code null}
     */
    public static Adapter train(StableDiffusion model, String baseName, List<Concept> concepts, TrainingData data,
            TrainingData classData, Settings settings, Path out, PrintWriter log) throws IOException {
        if ((classData != null) != (settings.priorLossWeight() > 0)) {
            throw new IllegalArgumentException("prior preservation needs both class pictures and a prior loss weight above 0");
        }
        Files.createDirectories(out);
        int size = settings.resolution() == 0 ? model.nativeSize() : settings.resolution();
        int latentSize = size / model.vaeScale();
        ResizeAugmentation augmentation = new ResizeAugmentation(size, latentSize, settings.flip(), true);
        ConceptTrainer.Settings step = new ConceptTrainer.Settings(settings.effectiveLearningRate(), settings.splWeight(),
                settings.pooling(), settings.releasedTokenDecay(), 1.0, settings.keyValues());
        try (ConceptTrainer trainer = new ConceptTrainer(model, concepts, step)) {
            TrainingRun.Plan plan = new TrainingRun.Plan("personalize", settings.seed(), settings.steps(),
                    settings.checkpointEvery(), Math.min(10, settings.steps()));
            TrainingRun.run(plan, out.resolve(CHECKPOINT), trainer.parameters(), trainer.optimizer(), null, n -> {
                Map<String, Double> losses = step(model, trainer, data, classData, augmentation, settings, n);
                if (settings.validationPrompt() != null && (n + 1) % settings.validateEvery() == 0) {
                    validate(model, settings, out, n + 1);
                }
                return losses;
            }, new LossLog(out), log);
            Adapter adapter = adapter(trainer, concepts);
            AdapterFiles.write(adapter, out, describe(baseName, concepts, settings), true);
            return adapter;
        }
    }

    /**
     * Step {@code n}: a batch drawn and augmented from (seed, n), with as many class pictures behind
     * it under prior preservation, encoded, noised, and the update.
     */
    private static Map<String, Double> step(StableDiffusion model, ConceptTrainer trainer, TrainingData data,
            TrainingData classData, ResizeAugmentation augmentation, Settings settings, long n) {
        SplittableRandom random = TrainingSteps.random(settings.seed(), n);
        int batch = settings.batchSize();
        try (PointerScope scope = new PointerScope()) {
            List<ResizeAugmentation.Sample> samples = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                int index = pick(settings.seed(), data.size(), n * batch + i);
                samples.add(augmentation.apply(data.image(index), data.caption(index), augmentation.draw(random)));
            }
            for (int i = 0; classData != null && i < batch; i++) {
                int index = pick(settings.seed() + 1, classData.size(), n * batch + i);
                samples.add(augmentation.plain(classData.image(index), classData.caption(index), random));
            }
            int rows = samples.size();
            int side = (int) Math.sqrt(samples.get(0).pixels().length / 3);
            int latentSide = (int) Math.sqrt(samples.get(0).mask().length);
            Tensor images = Torch.floats(concat(samples.stream().map(ResizeAugmentation.Sample::pixels).toList()), rows, 3, side, side);
            Tensor mask = Torch.floats(concat(samples.stream().map(ResizeAugmentation.Sample::mask).toList()), rows, 1, latentSide,
                    latentSide);
            long[] timesteps = new long[rows];
            for (int i = 0; i < rows; i++) {
                timesteps[i] = random.nextInt(trainer.trainingTimesteps());
            }
            torch.manual_seed(random.nextLong());
            Tensor latents;
            try (NoGradGuard noGrad = new NoGradGuard()) {
                var dist = model.vae().encode(images);
                latents = model.vae().toLatents(dist.sample(torch.randn(dist.mean().sizes().vec().get(),
                        new TensorOptions(dist.mean().scalar_type()))));
            }
            Tensor noise = torch.randn(latents.sizes().vec().get(), new TensorOptions(latents.scalar_type()));
            Tensor error = trainer.squaredError(latents, noise, timesteps,
                    trainer.encode(samples.stream().map(ResizeAugmentation.Sample::caption).toList()));
            Tensor denoising = ConceptTrainer.maskedMean(error.narrow(0, 0, batch), mask.narrow(0, 0, batch));
            Tensor loss = denoising;
            Map<String, Double> losses = new LinkedHashMap<>();
            losses.put("denoising", denoising.item_double());
            if (classData != null) {
                Tensor prior = error.narrow(0, batch, batch).mean();
                losses.put("prior", prior.item_double());
                loss = loss.add(prior.mul(new org.bytedeco.pytorch.Scalar(settings.priorLossWeight())));
            }
            if (settings.splWeight() > 0) {
                Tensor spl = trainer.semanticPreservationLoss();
                losses.put("spl", spl.item_double());
                loss = loss.add(spl.mul(new org.bytedeco.pytorch.Scalar(settings.splWeight())));
            }
            trainer.update(loss);
            return losses;
        }
    }

    /**
     * Fills {@code folder} up to {@code count} class pictures drawn by {@code model} with {@code
     * request}'s prompt, one seed each ({@code request}'s seed + k), as diffusers' script does
     * when the folder holds fewer; returns how many were drawn.
     */
    public static int drawClassImages(StableDiffusion model, Path folder, int count, GenerationRequest request,
            ProgressListener progress) throws IOException {
        Files.createDirectories(folder);
        int have = ConceptImages.files(folder).size();
        TextToImage pipeline = new TextToImage(model);
        int drawn = 0;
        for (int k = have; k < count; k++) {
            var image = pipeline.generate(request.withSeed(request.seed() + k), ProgressListener.NONE).images().get(0);
            Images.writePng(image, folder.resolve(String.format(java.util.Locale.ROOT, "class-%05d.png", k)), false,
                    Map.of("parameters", request.prompts().get(0).text()));
            drawn++;
            progress.onStep(drawn, count - have);
        }
        return drawn;
    }

    /** The data index of the {@code g}-th sample drawn: each epoch a new permutation, from the seed. */
    static int pick(long seed, int size, long g) {
        long epoch = g / size;
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order[(int) (g % size)];
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.get(0).length;
        float[] all = new float[parts.size() * n];
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, all, i * n, n);
        }
        return all;
    }

    private static void validate(StableDiffusion model, Settings settings, Path out, long step) {
        GenerationRequest request = GenerationRequest.of(settings.validationPrompt()).withSeed(settings.seed());
        var image = new TextToImage(model).generate(request, ProgressListener.NONE).images().get(0);
        try {
            Path folder = Files.createDirectories(out.resolve("validation"));
            Images.writePng(image, folder.resolve("step-" + step + ".png"), true, Map.of("parameters", settings.validationPrompt()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The trained state as an adapter: every cross-attention module's K/V and the token rows. */
    static Adapter adapter(ConceptTrainer trainer, List<Concept> concepts) {
        Map<String, float[]> keys = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> tokens = new LinkedHashMap<>();
        trainer.parameters().forEach((key, p) -> {
            if (key.equals(ConceptTrainer.TOKEN_ROWS)) {
                float[] rows = Torch.toFloats(p);
                int hidden = (int) p.size(1);
                for (int i = 0; i < concepts.size(); i++) {
                    tokens.put(concepts.get(i).token(), java.util.Arrays.copyOfRange(rows, i * hidden, (i + 1) * hidden));
                }
                return;
            }
            String module = key.substring(0, key.lastIndexOf(".to_"));
            (key.endsWith(".to_k.weight") ? keys : values).put(module, Torch.toFloats(p));
            shapes.put(module, Torch.shape(p));
        });
        Map<String, Adapter.KeyValue> kv = new LinkedHashMap<>();
        shapes.forEach((module, shape) -> kv.put(module, new Adapter.KeyValue(keys.get(module), values.get(module), shape)));
        return new Adapter(tokens, kv);
    }

    private static String describe(String baseName, List<Concept> concepts, Settings settings) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("concepts");
        for (Concept c : concepts) {
            ObjectNode o = list.addObject();
            o.put("token", c.token());
            o.put("class", c.classWord());
            o.put("initializer", c.initializer());
            o.put("instance_prompt", c.instancePrompt());
        }
        root.put("base_model", baseName);
        root.set("settings", json.valueToTree(settings));
        root.put("effective_learning_rate", settings.effectiveLearningRate());
        root.put("method", settings.splWeight() > 0 ? "ClassDiffusion (Custom Diffusion + Semantic Preservation Loss)"
                : "Custom Diffusion");
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
