package dev.inkwell.story;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.Judgement;
import dev.inkwell.metrics.Bootstrap;
import dev.inkwell.metrics.ClipScore;
import dev.inkwell.metrics.IdentityConsistency;
import dev.inkwell.metrics.NamedAttributes;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.prompt.Prompt;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Story consistency measured on the storybook world: every story of a benchmark told by each
 * {@link Method}, each frame read by the world's judge and by CLIP.
 *
 * <ul>
 *   <li>identity consistency ({@link IdentityConsistency}) and CLIP-I (mean pairwise image
 *       cosine) per story: does the character stay the same?
 *   <li>frame alignment (the judge's agreement with each frame's named setting, pose and
 *       accessory) and CLIP-T (image against "identity prompt + frame prompt"): does each frame
 *       show what it asks?
 *   <li>seconds per frame, all methods at the same steps and guidance.
 * </ul>
 * Intervals are percentile bootstraps over stories.
 */
public final class StoryEvaluation {
    private static final long BOOTSTRAP_SEED = 11;

    /** The compared ways of making a story's frames. */
    public enum Method {
        /** Each frame alone ("identity frame"), each with its own seed. */
        NAIVE_SEEDS("naive-seeds"),
        /** Each frame alone, all from the same seed. */
        NAIVE_SAME_SEED("naive-same-seed"),
        /** The consolidated prompt, no SVR, no IPCA. */
        CONCAT("concat"),
        /** 1Prompt1Story without SVR. */
        NO_SVR("no-svr"),
        /** 1Prompt1Story without IPCA. */
        NO_IPCA("no-ipca"),
        /** 1Prompt1Story, mode svr. */
        FULL("1p1s"),
        /** 1Prompt1Story, mode svr-eot. */
        FULL_EOT("1p1s-eot");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Method parse(String text) {
            for (Method m : values()) {
                if (m.label.equals(text)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + text + "'; use "
                    + Arrays.stream(values()).map(Method::label).collect(Collectors.joining(", ")));
        }

        /** The story settings of a 1Prompt1Story variant ({@code null} for the naive methods). */
        StorySettings settings(StorySettings base) {
            return switch (this) {
                case NAIVE_SEEDS, NAIVE_SAME_SEED -> null;
                case CONCAT -> base.withSvrMode(SvrMode.ORIGINAL).withIpca(false, 0);
                case NO_SVR -> base.withSvrMode(SvrMode.ORIGINAL);
                case NO_IPCA -> base.withIpca(false, 0);
                case FULL -> base;
                case FULL_EOT -> base.withSvrMode(SvrMode.SVR_EOT);
            };
        }
    }

    /** One method's figures, one value per story. */
    public record MethodScores(Method method, double[] identityConsistency, double[] clipI, double[] frameAlignment,
            double[] clipT, double secondsPerFrame) {

        Map<String, double[]> perStory() {
            Map<String, double[]> m = new LinkedHashMap<>();
            m.put("identity_consistency", identityConsistency);
            m.put("clip_i", clipI);
            m.put("frame_alignment", frameAlignment);
            m.put("clip_t", clipT);
            return m;
        }
    }

    /** Told after each story of each method. */
    @FunctionalInterface
    public interface Progress {
        void onStory(Method method, int story, int stories);
    }

    private final TextToImage pipeline;
    private final Judge judge;
    private final ClipScore clip;

    public StoryEvaluation(TextToImage pipeline, Judge judge, ClipScore clip) {
        this.pipeline = pipeline;
        this.judge = judge;
        this.clip = clip;
    }

    /** The committed benchmark: 40 stories of the storybook world, 4 to 8 frames each. */
    public static List<Story> benchmark() {
        try (InputStream in = StoryEvaluation.class.getResourceAsStream("benchmark.json")) {
            return StoryFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param generation steps, guidance, scheduler and the seed (naive-seeds: seed + frame index)
     */
    public List<MethodScores> run(List<Story> stories, List<Method> methods, StorySettings settings,
            GenerationRequest generation, Progress progress) {
        List<MethodScores> out = new ArrayList<>();
        for (Method method : methods) {
            int n = stories.size();
            double[] identity = new double[n];
            double[] clipI = new double[n];
            double[] alignment = new double[n];
            double[] clipT = new double[n];
            double seconds = 0;
            int frames = 0;
            for (int s = 0; s < n; s++) {
                Story story = stories.get(s);
                long start = System.nanoTime();
                List<BufferedImage> images = tell(story, method, settings, generation);
                seconds += (System.nanoTime() - start) / 1e9;
                frames += images.size();
                List<Judgement> judged = judge.predict(images.toArray(BufferedImage[]::new)).images();
                boolean colourNamed = NamedAttributes.of(story.identity()).containsKey(Attribute.COLOUR);
                identity[s] = IdentityConsistency.of(judged, colourNamed);
                clipI[s] = clip.meanPairwiseSimilarity(images);
                double agree = 0;
                int counted = 0;
                List<String> texts = new ArrayList<>();
                for (int f = 0; f < images.size(); f++) {
                    Map<Attribute, Enum<?>> named = frameNamed(story.frames().get(f));
                    double a = NamedAttributes.agreement(named, judged.get(f));
                    if (!Double.isNaN(a)) {
                        agree += a;
                        counted++;
                    }
                    texts.add(story.identity() + " " + story.frames().get(f));
                }
                alignment[s] = counted == 0 ? Double.NaN : agree / counted;
                clipT[s] = Arrays.stream(clip.textSimilarity(images, texts)).average().orElse(Double.NaN);
                progress.onStory(method, s + 1, n);
            }
            out.add(new MethodScores(method, identity, clipI, alignment, clipT, seconds / frames));
        }
        return out;
    }

    /** The setting, pose and accessory a frame prompt names. */
    static Map<Attribute, Enum<?>> frameNamed(String frame) {
        Map<Attribute, Enum<?>> named = new EnumMap<>(Attribute.class);
        NamedAttributes.of(frame).forEach((a, v) -> {
            if (a == Attribute.SETTING || a == Attribute.POSE || a == Attribute.ACCESSORY) {
                named.put(a, v);
            }
        });
        return named;
    }

    private List<BufferedImage> tell(Story story, Method method, StorySettings settings, GenerationRequest generation) {
        StorySettings s = method.settings(settings);
        if (s != null) {
            return new StoryTeller(pipeline).tell(story, s, generation, null, StoryTeller.FrameListener.NONE,
                    StoryTeller.StoryProgress.NONE).stream().map(StoryFrame::image).toList();
        }
        List<BufferedImage> images = new ArrayList<>();
        for (int f = 0; f < story.size(); f++) {
            GenerationRequest alone = generation.withPrompt(Prompt.of(story.identity() + " " + story.frames().get(f)), null)
                    .withSeed(method == Method.NAIVE_SEEDS ? generation.seed() + f : generation.seed());
            images.add(pipeline.generate(alone, ProgressListener.NONE).images().get(0));
        }
        return images;
    }

    /** The table as text: one row per method, mean and 95 % interval of each figure. */
    public static String table(List<MethodScores> scores) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-16s %-22s %-22s %-22s %-22s %s%n", "method",
                "identity consistency", "CLIP-I", "frame alignment", "CLIP-T", "s/frame"));
        for (MethodScores m : scores) {
            s.append(String.format(Locale.ROOT, "%-16s", m.method().label()));
            for (double[] values : m.perStory().values()) {
                double[] ci = Bootstrap.ci95(values, BOOTSTRAP_SEED);
                s.append(String.format(Locale.ROOT, " %.3f [%.3f, %.3f]   ", Bootstrap.mean(values), ci[0], ci[1]));
            }
            s.append(String.format(Locale.ROOT, " %.2f%n", m.secondsPerFrame()));
        }
        MethodScores reference = find(scores, Method.NAIVE_SAME_SEED);
        if (reference != null) {
            for (MethodScores m : scores) {
                if (m != reference) {
                    double[] d = Bootstrap.differenceCi95(m.identityConsistency(), reference.identityConsistency(), BOOTSTRAP_SEED);
                    double[] f = Bootstrap.differenceCi95(m.frameAlignment(), reference.frameAlignment(), BOOTSTRAP_SEED);
                    s.append(String.format(Locale.ROOT,
                            "%s - naive-same-seed: identity consistency %+.3f [%+.3f, %+.3f], frame alignment %+.3f [%+.3f, %+.3f], "
                                    + "time %.2fx%n", m.method().label(),
                            Bootstrap.mean(m.identityConsistency()) - Bootstrap.mean(reference.identityConsistency()), d[0], d[1],
                            Bootstrap.mean(m.frameAlignment()) - Bootstrap.mean(reference.frameAlignment()), f[0], f[1],
                            m.secondsPerFrame() / reference.secondsPerFrame()));
                }
            }
        }
        return s.toString();
    }

    /**
     * The table as JSON: {@code {"<method>": {"identity_consistency", "clip_i", "frame_alignment",
     * "clip_t", "seconds_per_frame", "ci95": {"<metric>": [lo, hi]}}}}; methods other than
     * naive-same-seed also get {@code "vs_naive_same_seed"} with the paired intervals of the
     * differences.
     */
    public static String json(List<MethodScores> scores) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        MethodScores reference = find(scores, Method.NAIVE_SAME_SEED);
        for (MethodScores m : scores) {
            ObjectNode node = root.putObject(m.method().label());
            ObjectNode ci = mapper.createObjectNode();
            ObjectNode vs = mapper.createObjectNode();
            for (Map.Entry<String, double[]> e : m.perStory().entrySet()) {
                node.put(e.getKey(), Bootstrap.mean(e.getValue()));
                double[] interval = Bootstrap.ci95(e.getValue(), BOOTSTRAP_SEED);
                ci.putArray(e.getKey()).add(interval[0]).add(interval[1]);
                if (reference != null && m != reference) {
                    double[] d = Bootstrap.differenceCi95(e.getValue(), reference.perStory().get(e.getKey()), BOOTSTRAP_SEED);
                    vs.putArray(e.getKey()).add(d[0]).add(d[1]);
                }
            }
            node.put("seconds_per_frame", m.secondsPerFrame());
            node.set("ci95", ci);
            if (!vs.isEmpty()) {
                node.set("vs_naive_same_seed", vs);
            }
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodScores find(List<MethodScores> scores, Method method) {
        return scores.stream().filter(m -> m.method() == method).findFirst().orElse(null);
    }
}
