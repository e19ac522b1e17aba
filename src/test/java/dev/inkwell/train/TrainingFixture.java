package dev.inkwell.train;

import dev.inkwell.scheduler.NoiseSchedule;
import dev.inkwell.scheduler.SchedulerConfig;
import dev.inkwell.scheduler.SchedulerKind;
import dev.inkwell.tensor.Precision;
import dev.inkwell.tensor.Torch;
import dev.inkwell.unet.UNet2DConditionModel;
import dev.inkwell.weights.ComponentFiles;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The tiny SD 1.5 reference UNet and a fixed tiny data set: 4 latents [4, 8, 8], 4 contexts [77, 32]. */
final class TrainingFixture {
    static final Path MODEL = Path.of("src/test/resources/reference/models/sd15-tiny");

    private TrainingFixture() {}

    static UNet2DConditionModel unet() {
        Path dir = MODEL.resolve("unet");
        return UNet2DConditionModel.load(dir, ComponentFiles.open(dir), Precision.FLOAT32);
    }

    static NoiseSchedule schedule() {
        return SchedulerKind.DDPM.create(SchedulerConfig.read(MODEL.resolve("scheduler/scheduler_config.json"))).schedule();
    }

    /** Latents, contexts and the empty-prompt context, drawn from a fixed seed. */
    static Tensor[] data() {
        Torch.init();
        torch.manual_seed(1234);
        return new Tensor[] {torch.randn(4, 4, 8, 8), torch.randn(4, 77, 32), torch.randn(1, 77, 32)};
    }
}
