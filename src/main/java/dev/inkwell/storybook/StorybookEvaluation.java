package dev.inkwell.storybook;

import dev.inkwell.clip.Clip;
import dev.inkwell.judge.Attribute;
import dev.inkwell.judge.Judge;
import dev.inkwell.judge.JudgeOutput;
import dev.inkwell.judge.JudgeTrainer;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.pipeline.ProgressListener;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.pipeline.TextToImage;
import dev.inkwell.world.Caption;
import dev.inkwell.world.Captioner;
import dev.inkwell.world.Colour;
import dev.inkwell.world.Scene;
import dev.inkwell.world.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code inkwell eval} measures on a storybook model: the judge on freshly rendered scenes;
 * generations from caption-template prompts, judged on every attribute their prompt names; and
 * negative prompts, as the share of images judged a colour with and without that colour as the
 * negative prompt, on prompts that name no colour.
 */
public final class StorybookEvaluation {

    /**
     * @param seed prompts, held-out scenes and generation seeds all derive from it
     * @param negativeGuidance the negative prompts are measured replacing the unconditional prompt (the
     *     reference) and, unless this is {@code null}, with a branch and this scale of their own
     *     ({@link GenerationRequest#negativeGuidance})
     * @param batch images generated together
     */
    public record Settings(long seed, int judgeScenes, int prompts, int negativePrompts, List<Colour> negativeColours,
            int steps, double guidance, Double negativeGuidance, int batch) {

        public static Settings standard(long seed) {
            return new Settings(seed, 1024, 200, 100, List.of(Colour.RED, Colour.BLUE, Colour.GREEN), 25, StorybookModel.GUIDANCE,
                    StorybookModel.NEGATIVE_GUIDANCE, 25);
        }
    }

    /** Right answers out of images judged. */
    public record Tally(int right, int total) {
        public double share() {
            return total == 0 ? Double.NaN : (double) right / total;
        }

        Tally plus(boolean ok) {
            return new Tally(right + (ok ? 1 : 0), total + 1);
        }
    }

    /**
     * How the judge saw the generations of one attribute: {@code counts[asked][judged]}, indices in
     * {@link Attribute#classValues()} order, over the prompts that name the attribute.
     */
    public record Confusion(int[][] counts) {
        static Confusion empty(Attribute attribute) {
            return new Confusion(new int[attribute.classes()][attribute.classes()]);
        }

        /** Images judged the value their prompt asked for, out of all. */
        public Tally tally() {
            int right = 0;
            int total = 0;
            for (int asked = 0; asked < counts.length; asked++) {
                Tally row = asked(asked);
                right += row.right();
                total += row.total();
            }
            return new Tally(right, total);
        }

        /** The same for the prompts that asked for value {@code asked}. */
        public Tally asked(int asked) {
            return new Tally(counts[asked][asked], Arrays.stream(counts[asked]).sum());
        }

        /** The value most often judged instead of {@code asked}, or -1 when every image was judged right. */
        public int mostOftenInstead(int asked) {
            int best = -1;
            for (int judged = 0; judged < counts.length; judged++) {
                if (judged != asked && counts[asked][judged] > 0 && (best < 0 || counts[asked][judged] > counts[asked][best])) {
                    best = judged;
                }
            }
            return best;
        }
    }

    /**
     * One negative-prompt colour: the share of images judged that colour without and with the
     * negative prompt, and subject and setting accuracy with it (settings only where named).
     *
     * @param negativeGuidance {@code null} where the negative prompt replaced the unconditional one
     */
    public record NegativeResult(Colour colour, Double negativeGuidance, Tally judgedColourWithout,
            Tally judgedColourWith, Tally subjectWith, Tally settingWith) {}

    /** The negative-prompt baseline: the same prompts and seeds without a negative prompt. */
    public record Baseline(Map<Colour, Tally> judgedColour, Tally subject, Tally setting) {}

    /**
     * @param judgeAccuracy the judge's accuracy on rendered scenes
     * @param judgeThroughVae on the same scenes as the model's VAE reconstructs them, the upper bound
     *     of what generations can score
     * @param clipZeroShot the CLIP's zero-shot accuracy on rendered scenes ({@link ClipZeroShot})
     * @param wordCosine how alike the text encoder makes the words of an attribute ({@link WordSeparation})
     * @param generation per attribute the prompts name, what the judge saw in the generated images
     */
    public record Report(Map<Attribute, Double> judgeAccuracy, Map<Attribute, Double> judgeThroughVae,
            Map<Attribute, Double> clipZeroShot, Map<Attribute, Double> wordCosine,
            Map<Attribute, Confusion> generation, Baseline baseline, List<NegativeResult> negatives) {}

    private final StableDiffusion model;
    private final Clip clip;
    private final Judge judge;
    private final Settings settings;
    private ProgressListener progress = ProgressListener.NONE;
    private int generated;

    public StorybookEvaluation(StableDiffusion model, Clip clip, Judge judge, Settings settings) {
        this.model = model;
        this.clip = clip;
        this.judge = judge;
        this.settings = settings;
    }

    /** Every image this evaluation generates: the prompts, and the colourless prompts without and with each negative. */
    public int images() {
        int scales = settings.negativeGuidance() == null ? 1 : 2;
        return settings.prompts() + settings.negativePrompts() * (1 + scales * settings.negativeColours().size());
    }

    /** @param progress told after each batch of images, with the count generated so far of {@link #images()} */
    public Report run(ProgressListener progress) {
        this.progress = progress;
        this.generated = 0;
        Map<Attribute, Double> judgeAccuracy = JudgeTrainer.evaluate(judge, settings.judgeScenes(), settings.seed(), null);
        Map<Attribute, Double> judgeThroughVae = JudgeTrainer.evaluate(judge, settings.judgeScenes(), settings.seed(),
                model.vae());
        Map<Attribute, Double> clipZeroShot = ClipZeroShot.accuracy(clip, model.tokenizer(), settings.judgeScenes(),
                settings.seed());
        Map<Attribute, Double> wordCosine = WordSeparation.measure(model.textEncoder(), model.tokenizer());
        List<Prompted> prompts = prompts(settings.prompts(), false);
        Map<Attribute, Confusion> generation = new EnumMap<>(Attribute.class);
        JudgeOutput judged = generateAndJudge(prompts, null, null);
        for (int i = 0; i < prompts.size(); i++) {
            for (String named : prompts.get(i).caption().namedAttributes()) {
                Attribute a = attribute(named);
                generation.computeIfAbsent(a, Confusion::empty)
                        .counts()[a.of(prompts.get(i).scene()).ordinal()][judged.get(i).get(a).value().ordinal()]++;
            }
        }
        List<Prompted> colourless = prompts(settings.negativePrompts(), true);
        JudgeOutput without = generateAndJudge(colourless, null, null);
        Map<Colour, Tally> baselineColours = new EnumMap<>(Colour.class);
        for (Colour c : settings.negativeColours()) {
            baselineColours.put(c, colourShare(without, c));
        }
        Baseline baseline = new Baseline(baselineColours, accuracy(colourless, without, Attribute.SUBJECT),
                accuracy(colourless, without, Attribute.SETTING));
        List<NegativeResult> negatives = new ArrayList<>();
        List<Double> scales = settings.negativeGuidance() == null ? Collections.singletonList(null)
                : Arrays.asList(null, settings.negativeGuidance());
        for (Double scale : scales) {
            for (Colour c : settings.negativeColours()) {
                JudgeOutput with = generateAndJudge(colourless, c.word(), scale);
                negatives.add(new NegativeResult(c, scale, baselineColours.get(c), colourShare(with, c),
                        accuracy(colourless, with, Attribute.SUBJECT), accuracy(colourless, with, Attribute.SETTING)));
            }
        }
        return new Report(judgeAccuracy, judgeThroughVae, clipZeroShot, wordCosine, generation, baseline, negatives);
    }

    /** A sampled scene and the caption that prompts for it. */
    private record Prompted(Scene scene, Caption caption) {}

    /** {@code n} caption-template prompts; with {@code colourless}, only captions that name no colour. */
    private List<Prompted> prompts(int n, boolean colourless) {
        SceneSampler sampler = new SceneSampler(settings.seed() + (colourless ? 1 : 0));
        Captioner captioner = new Captioner(settings.seed() + (colourless ? 1 : 0));
        List<Prompted> out = new ArrayList<>();
        while (out.size() < n) {
            Scene scene = sampler.next();
            Caption caption = captioner.caption(scene);
            if (!colourless || !caption.namedAttributes().contains(Caption.COLOUR)) {
                out.add(new Prompted(scene, caption));
            }
        }
        return out;
    }

    /**
     * Image i is generated with seed {@code seed + i}, so runs with and without a negative prompt share their noise.
     *
     * @param negativeGuidance {@code null}: the negative prompt replaces the unconditional one
     */
    private JudgeOutput generateAndJudge(List<Prompted> prompts, String negative, Double negativeGuidance) {
        List<BufferedImage> images = new ArrayList<>();
        TextToImage pipeline = new TextToImage(model);
        for (int start = 0; start < prompts.size(); start += settings.batch()) {
            List<String> texts = prompts.subList(start, Math.min(prompts.size(), start + settings.batch())).stream()
                    .map(p -> p.caption().text()).toList();
            GenerationRequest request = GenerationRequest.of(texts.get(0)).withPrompts(texts)
                    .withSteps(settings.steps()).withGuidance(settings.guidance()).withSeed(settings.seed() + start);
            if (negative != null) {
                request = request.withNegativePrompt(negative).withNegativeGuidance(negativeGuidance);
            }
            images.addAll(pipeline.generate(request, ProgressListener.NONE).images());
            generated += texts.size();
            progress.onStep(generated, images());
        }
        return judge.predict(images.toArray(BufferedImage[]::new));
    }

    private static Tally colourShare(JudgeOutput judged, Colour colour) {
        Tally t = new Tally(0, 0);
        for (int i = 0; i < judged.images().size(); i++) {
            t = t.plus(judged.get(i).get(Attribute.COLOUR).value() == colour);
        }
        return t;
    }

    /** Accuracy on {@code attribute} over the prompts that name it. */
    private static Tally accuracy(List<Prompted> prompts, JudgeOutput judged, Attribute attribute) {
        Tally t = new Tally(0, 0);
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).caption().namedAttributes().contains(attribute.key())) {
                t = t.plus(judged.get(i).agrees(prompts.get(i).scene(), attribute));
            }
        }
        return t;
    }

    private static Attribute attribute(String captionName) {
        return Arrays.stream(Attribute.values()).filter(a -> a.key().equals(captionName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no judge attribute for caption attribute " + captionName));
    }
}
