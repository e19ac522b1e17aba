package dev.inkwell.personalize;

import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.Judgement;
import dev.inkwell.metrics.Bootstrap;
import dev.inkwell.metrics.ClipScore;
import dev.inkwell.metrics.NamedAttributes;
import dev.inkwell.personalize.SemanticPreservationLoss.Pooling;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.tensor.Precision;
import dev.inkwell.world.Accessory;
import dev.inkwell.world.Pose;
import dev.inkwell.world.Renderer;
import dev.inkwell.world.Scene;
import dev.inkwell.world.SceneSampler;
import dev.inkwell.world.Setting;
import dev.inkwell.world.Size;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Personalization measured on the storybook world, where every picture's truth is known: each
 * individual is a subject with a fixed body colour and a fixed combination of the attributes no
 * caption names (pattern, eye colour, proportions, appendages), shown in five renderings in
 * varied settings and captioned without them. Each method learns it from the same pictures with
 * the same steps and seed, then draws compositional prompts ("a photo of a &lt;new1&gt; fox wearing
 * a hat in the snow"), and the judge says how much of the individual and of the prompt it shows.
 */
public final class PersonalizationEvaluation {
    /** The token every individual is learned as. */
    static final String TOKEN = "<new1>";
    /** The attributes that make an individual. */
    static final List<Attribute> IDENTITY = List.of(Attribute.SUBJECT, Attribute.COLOUR, Attribute.PATTERN,
            Attribute.EYE_COLOUR, Attribute.PROPORTIONS, Attribute.APPENDAGES);
    private static final int PICTURES = 5;

    /** The compared runs. */
    public enum Method {
        CLASS_ONLY("class prompt only (no training)"),
        CUSTOM_DIFFUSION("Custom Diffusion (SPL 0)"),
        CLASS_DIFFUSION("ClassDiffusion (SPL 1, eos)"),
        CLASS_DIFFUSION_RELEASED("ClassDiffusion (SPL 1, released)"),
        TEXTUAL_INVERSION("token embedding only");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Per method: per-prompt scores over all individuals, and training seconds per individual. */
    public record Scores(Method method, double[] identity, double[] promptFidelity, double[] clipI, double[] clipT,
            double trainingSeconds) {}

    /** Told after each individual of each method. */
    @FunctionalInterface
    public interface Progress {
        void onRun(Method method, int individual, int individuals);
    }

    private final Path model;
    private final Judge judge;
    private final ClipScore clip;
    private final Personalization.Settings training;
    private final double textualInversionRate;

    /**
     * @param training the settings of every trained run (the SPL weight, pooling and what trains are set per method)
     * @param textualInversionRate the token-only run's learning rate before scaling: textual inversion needs a
     *     far larger one than the keys and values (diffusers' example uses 5e-4)
     */
    public PersonalizationEvaluation(Path model, Judge judge, ClipScore clip, Personalization.Settings training,
            double textualInversionRate) {
        this.model = model;
        this.judge = judge;
        this.clip = clip;
        this.training = training;
        this.textualInversionRate = textualInversionRate;
    }

    /** Individual {@code i} of {@code seed}: a sampled scene's subject, colour and unnamed attributes. */
    static Scene individual(long seed, int i) {
        Scene s = new SceneSampler(seed * 1000 + i).next();
        return new Scene(s.subject(), s.colour(), Accessory.NONE, Setting.MEADOW, Pose.SITTING, Size.LARGE, s.pattern(),
                s.accessoryColour(), s.eyeColour(), s.proportions(), s.appendages());
    }

    /** Five renderings of the individual, each in another setting, sitting or jumping, without accessories. */
    static List<BufferedImage> pictures(Scene who, long seed) {
        Renderer renderer = new Renderer();
        SplittableRandom r = new SplittableRandom(seed);
        List<BufferedImage> out = new ArrayList<>();
        Setting[] settings = Setting.values();
        for (int k = 0; k < PICTURES; k++) {
            Scene s = new Scene(who.subject(), who.colour(), Accessory.NONE, settings[(k * 3 + (int) (seed & 7)) % settings.length],
                    k % 2 == 0 ? Pose.SITTING : Pose.JUMPING, Size.LARGE, who.pattern(), who.accessoryColour(), who.eyeColour(),
                    who.proportions(), who.appendages());
            out.add(renderer.render(s, r.nextLong()));
        }
        return out;
    }

    /** {@code n} compositional prompts about the individual: a setting always, and an accessory, pose or size. */
    static List<String> prompts(Scene who, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            Setting setting = Setting.values()[r.nextInt(Setting.values().length)];
            Accessory accessory = Accessory.values()[r.nextInt(Accessory.values().length)];
            Pose pose = r.nextInt(3) == 0 ? null : Pose.values()[r.nextInt(2)];
            Size size = r.nextInt(3) == 0 ? Size.values()[r.nextInt(Size.values().length)] : null;
            if (accessory == Accessory.NONE && pose == null && size == null) {
                continue;
            }
            StringBuilder p = new StringBuilder("a photo of a ");
            if (size != null) {
                p.append(size.word()).append(' ');
            }
            p.append(TOKEN).append(' ').append(who.subject().word());
            if (accessory != Accessory.NONE) {
                p.append(" wearing ").append(accessory == Accessory.GLASSES ? "glasses" : "a " + accessory.word());
            }
            if (pose != null) {
                p.append(accessory != Accessory.NONE ? ", " : " ").append(pose.word());
            }
            p.append(' ').append(setting.phrases().get(0));
            out.add(p.toString());
        }
        return out;
    }

    /** The prompt as the class prompt: the token taken out ("a photo of a fox ..."), as the paper scores CLIP-T. */
    static String withoutToken(String prompt) {
        return prompt.replace(TOKEN + " ", "");
    }

    /**
     * @param work where each run's adapter, each individual's pictures ({@code individual-i/}) and each run's
     *     images ({@code <method>-i/}) are written
     */
    public List<Scores> run(List<Method> methods, int individuals, int promptsEach, long seed, Path work, Progress progress)
            throws java.io.IOException {
        List<Scores> out = new ArrayList<>();
        for (Method method : methods) {
            List<Double> identity = new ArrayList<>();
            List<Double> fidelity = new ArrayList<>();
            List<Double> clipI = new ArrayList<>();
            List<Double> clipT = new ArrayList<>();
            double seconds = 0;
            for (int i = 0; i < individuals; i++) {
                Scene who = individual(seed, i);
                List<BufferedImage> pictures = pictures(who, seed + i);
                List<String> prompts = prompts(who, promptsEach, seed + 31L * i);
                long start = System.nanoTime();
                Path folder = work.resolve(method.name().toLowerCase(Locale.ROOT) + "-" + i);
                List<BufferedImage> images = generate(method, who, pictures, prompts, seed, folder);
                if (method != Method.CLASS_ONLY) {
                    seconds += (System.nanoTime() - start) / 1e9;
                }
                keep(pictures, work.resolve("individual-" + i), "picture");
                keep(images, folder, "image");
                List<Judgement> judged = judge.predict(images.toArray(BufferedImage[]::new)).images();
                List<String> classPrompts = prompts.stream().map(PersonalizationEvaluation::withoutToken).toList();
                double[] t = clip.textSimilarity(images, classPrompts);
                for (int k = 0; k < images.size(); k++) {
                    identity.add(identityShare(who, judged.get(k)));
                    Map<Attribute, Enum<?>> named = new EnumMap<>(NamedAttributes.of(classPrompts.get(k)));
                    named.remove(Attribute.SUBJECT);
                    fidelity.add(NamedAttributes.agreement(named, judged.get(k)));
                    clipI.add(clip.meanSimilarity(List.of(images.get(k)), pictures));
                    clipT.add(t[k]);
                }
                progress.onRun(method, i + 1, individuals);
            }
            out.add(new Scores(method, doubles(identity), doubles(fidelity), doubles(clipI), doubles(clipT), seconds / individuals));
        }
        return out;
    }

    /** Writes {@code images} as {@code <name>-1.png}, ... into {@code folder}. */
    private static void keep(List<BufferedImage> images, Path folder, String name) throws java.io.IOException {
        Files.createDirectories(folder);
        for (int k = 0; k < images.size(); k++) {
            dev.inkwell.image.Images.writePng(images.get(k), folder.resolve(name + "-" + (k + 1) + ".png"), true, Map.of());
        }
    }

    /** The share of the individual's attributes the judge sees in an image. */
    static double identityShare(Scene who, Judgement judged) {
        int right = 0;
        int counted = 0;
        for (Attribute a : IDENTITY) {
            counted++;
            if (judged.get(a).value() == a.of(who)) {
                right++;
            }
        }
        return (double) right / counted;
    }

    private List<BufferedImage> generate(Method method, Scene who, List<BufferedImage> pictures, List<String> prompts,
            long seed, Path folder) throws java.io.IOException {
        String classWord = who.subject().word();
        if (method == Method.CLASS_ONLY) {
            try (StableDiffusion sd = StableDiffusion.load(model, Precision.FLOAT32)) {
                return draw(sd, prompts.stream().map(PersonalizationEvaluation::withoutToken).toList(), seed);
            }
        }
        Personalization.Settings s = training;
        double splWeight = method == Method.CLASS_DIFFUSION || method == Method.CLASS_DIFFUSION_RELEASED ? 1.0 : 0.0;
        Pooling pooling = method == Method.CLASS_DIFFUSION_RELEASED ? Pooling.RELEASED : Pooling.EOS;
        boolean keyValues = method != Method.TEXTUAL_INVERSION;
        double rate = keyValues ? s.learningRate() : textualInversionRate;
        Personalization.Settings run = new Personalization.Settings(s.steps(), s.batchSize(), rate, s.scaleLearningRate(), splWeight,
                pooling, s.releasedTokenDecay(), s.seed(), s.resolution(), s.flip(), s.steps(), null, s.validateEvery(), keyValues, 0);
        Concept concept = new Concept(TOKEN, classWord, Concept.INITIALIZER, "a photo of a " + TOKEN + " " + classWord, null, null, null);
        TrainingData data = new TrainingData() {
            @Override
            public int size() {
                return pictures.size();
            }

            @Override
            public BufferedImage image(int index) {
                return pictures.get(index);
            }

            @Override
            public String caption(int index) {
                return concept.instancePrompt();
            }
        };
        Files.createDirectories(folder);
        try (StableDiffusion sd = Personalization.load(model, List.of(concept), LoadOptions.DEFAULT)) {
            Personalization.train(sd, "evaluation", List.of(concept), data, null, run, folder, new PrintWriter(new StringWriter()));
            return draw(sd, prompts, seed);
        }
    }

    /** Prompt {@code k} drawn from seed {@code seed + k} with the model's defaults. */
    private static List<BufferedImage> draw(StableDiffusion sd, List<String> prompts, long seed) {
        TextToImage pipeline = new TextToImage(sd);
        GenerationRequest request = dev.inkwell.storybook.StorybookModel.request("").withPrompts(prompts).withSeed(seed);
        return pipeline.generate(request, ProgressListener.NONE).images();
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The table as Markdown, with 95 % intervals, and ClassDiffusion's prompt fidelity against Custom Diffusion's. */
    public static String table(List<Scores> scores, long seed) {
        StringBuilder s = new StringBuilder(
                "| method | identity fidelity | prompt fidelity | CLIP-I to the pictures | CLIP-T (class word) | training s |\n"
                        + "|---|---|---|---|---|---|\n");
        for (Scores r : scores) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f |%n", r.method().label(), ci(r.identity(), seed),
                    ci(r.promptFidelity(), seed), ci(r.clipI(), seed), ci(r.clipT(), seed), r.trainingSeconds()));
        }
        Scores c = find(scores, Method.CLASS_DIFFUSION);
        Scores b = find(scores, Method.CUSTOM_DIFFUSION);
        if (c != null && b != null) {
            double[] d = Bootstrap.differenceCi95(c.promptFidelity(), b.promptFidelity(), seed);
            s.append(String.format(Locale.ROOT, "%nprompt fidelity, ClassDiffusion minus Custom Diffusion: %+.3f [%+.3f, %+.3f]%n",
                    Bootstrap.mean(c.promptFidelity()) - Bootstrap.mean(b.promptFidelity()), d[0], d[1]));
        }
        return s.toString();
    }

    /** The figures as JSON: per method, each metric's mean and 95 % interval. */
    public static String json(List<Scores> scores, long seed) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode root = mapper.createArrayNode();
        for (Scores r : scores) {
            com.fasterxml.jackson.databind.node.ObjectNode o = root.addObject();
            o.put("method", r.method().label());
            Map<String, double[]> metrics = new java.util.LinkedHashMap<>();
            metrics.put("identity_fidelity", r.identity());
            metrics.put("prompt_fidelity", r.promptFidelity());
            metrics.put("clip_i", r.clipI());
            metrics.put("clip_t", r.clipT());
            metrics.forEach((name, v) -> {
                double[] ci = Bootstrap.ci95(v, seed);
                o.putObject(name).put("mean", Bootstrap.mean(v)).put("low", ci[0]).put("high", ci[1]).put("n", v.length);
            });
            o.put("training_seconds", r.trainingSeconds());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scores find(List<Scores> scores, Method m) {
        return scores.stream().filter(r -> r.method() == m).findFirst().orElse(null);
    }

    private static String ci(double[] values, long seed) {
        double[] ci = Bootstrap.ci95(values, seed);
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", Bootstrap.mean(values), ci[0], ci[1]);
    }
}
