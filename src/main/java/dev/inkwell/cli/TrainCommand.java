package dev.inkwell.cli;

import dev.inkwell.judge.JudgeTrainer;
import dev.inkwell.storybook.StorybookTraining;
import dev.inkwell.train.LossLog;
import dev.inkwell.tensor.Precision;
import dev.inkwell.train.VaeTrainer;
import dev.inkwell.vae.AutoencoderKL;
import dev.inkwell.weights.ComponentFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Training on the storybook world. Each run checkpoints as it goes and resumes from its
 * checkpoint when started again with the same output folder.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train Inkwell's own models on the storybook world.",
        subcommands = {TrainCommand.Storybook.class, TrainCommand.Judge.class, TrainCommand.Vae.class})
final class TrainCommand extends CommandGroup {

    /** What every training run takes: where it writes (and resumes from) and its seed. */
    static final class Common {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder; it also holds the checkpoint, so running again resumes.")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "Training seed (default: ${DEFAULT-VALUE}).")
        long seed;

        PrintWriter log() {
            return spec.commandLine().getOut();
        }

        /** The run's loss curves, {@code losses.csv} and {@code losses.png} in the output folder. */
        LossLog losses() {
            return new LossLog(out);
        }
    }

    @Command(name = "storybook", mixinStandardHelpOptions = true,
            description = {"Every model of the default model from scratch: CLIP, VAE, UNet, judge (under two hours on two cores).",
                "Writes DIR/model/ (diffusers layout, float32), DIR/model-fp16/ (as shipped), DIR/losses.csv and DIR/losses.png;",
                "run it again to resume."})
    static final class Storybook implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            StorybookTraining.run(common.out, StorybookTraining.Settings.full(common.seed), common.log());
            return 0;
        }
    }

    @Command(name = "judge", mixinStandardHelpOptions = true,
            description = "The attribute classifier that scores generated images (writes config.json and model.safetensors).")
    static final class Judge implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--steps", description = "Optimizer steps (default: the full run's).")
        Long steps;

        @Option(names = "--vae", paramLabel = "DIR",
                description = "A VAE folder (diffusers layout): a quarter of each batch is shown as it reconstructs the scenes, "
                        + "as in the storybook run (default: renderings only).")
        Path vaeFolder;

        @Override
        public Integer call() {
            JudgeTrainer.Settings full = JudgeTrainer.Settings.full(common.seed);
            JudgeTrainer.Settings settings = steps == null ? full : new JudgeTrainer.Settings(common.seed, full.batchSize(),
                    requirePositive(steps), full.learningRate(), Math.min(full.warmupSteps(), steps), full.maxGradNorm(),
                    full.roundTripShare(), full.smallShare(), full.emaDecay(), full.checkpointEvery(), full.logEvery());
            if (vaeFolder == null) {
                JudgeTrainer.trainToFolder(common.out, settings.rendersOnly(), null, common.losses(), common.log());
                return 0;
            }
            try (AutoencoderKL vae = AutoencoderKL.load(vaeFolder, ComponentFiles.open(vaeFolder), Precision.FLOAT32)) {
                JudgeTrainer.trainToFolder(common.out, settings, vae, common.losses(), common.log());
            }
            return 0;
        }
    }

    @Command(name = "vae", mixinStandardHelpOptions = true,
            description = "The small AutoencoderKL of the default model (writes DIR/vae/ in the diffusers layout).")
    static final class Vae implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps, at most 2^31 - 1 (default: ${DEFAULT-VALUE}).")
        int steps;

        @Override
        public Integer call() throws Exception {
            VaeTrainer.trainToFolder(common.out, VaeTrainer.Settings.defaults(common.seed, (int) requirePositive(steps)),
                    common.losses(), common.log());
            return 0;
        }
    }

    private static long requirePositive(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("--steps must be positive, not " + steps);
        }
        return steps;
    }
}
