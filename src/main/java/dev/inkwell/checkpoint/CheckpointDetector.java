package dev.inkwell.checkpoint;

import dev.inkwell.checkpoint.CheckpointType.TextEncoder;
import dev.inkwell.weights.TensorEntry;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tells which {@link CheckpointType} a single-file checkpoint is from its tensor names and shapes,
 * as diffusers' {@code infer_diffusers_model_type} does from {@code CHECKPOINT_KEY_NAMES}: the text
 * encoders present decide the type, and the UNet's cross-attention width must equal what they
 * produce (768 for SD 1.x, 1024 for SD 2.x, 768 + 1280 for SDXL). Whether an SD 2.x model predicts
 * noise or velocity is not in the weights; the caller chooses.
 */
public final class CheckpointDetector {
    private static final String UNET_IN = CheckpointType.UNET_PREFIX + "input_blocks.0.0.weight";
    private static final String SDXL_POOLED = CheckpointType.UNET_PREFIX + "label_emb.0.0.weight";
    /** Names only other model families have, and what to call them. */
    private static final Map<String, String> FOREIGN = Map.of(
            "joint_blocks.", "an SD3 / SD3.5 (MMDiT) checkpoint",
            "double_blocks.", "a Flux checkpoint",
            "control_model.", "a ControlNet",
            "conditioner.embedders.0.model.", "an SDXL refiner (an OpenCLIP text encoder only)");

    private CheckpointDetector() {
    }

    /**
     * @param entries every tensor of the file
     * @throws WeightsException in one line naming {@code file} and what was found, if the file is
     *     not an SD 1.x, SD 2.x or SDXL base text-to-image checkpoint
     */
    public static CheckpointType detect(Path file, Map<String, TensorEntry> entries) {
        FOREIGN.forEach((name, what) -> {
            if (entries.keySet().stream().anyMatch(k -> k.contains(name))) {
                throw unsupported(file, what);
            }
        });
        TensorEntry convIn = entries.get(UNET_IN);
        if (convIn == null || convIn.shape().length != 4) {
            String first = entries.keySet().stream().findFirst().map(k -> "; its first tensor is \"" + k + "\"").orElse("");
            throw unsupported(file, "no Stable Diffusion UNet (\"" + UNET_IN + "\")" + first);
        }
        long inChannels = convIn.shape()[1];
        if (inChannels != 4) {
            throw unsupported(file, "a UNet with " + inChannels + " input channels"
                    + (inChannels == 9 ? " (an inpainting model)" : "") + ", where text-to-image has 4");
        }
        CheckpointType type = Stream.of(CheckpointType.values())
                .filter(t -> t.textEncoders().stream().allMatch(e -> entries.containsKey(e.tokenEmbedding())))
                .findFirst()
                .orElseThrow(() -> unsupported(file, "a UNet without a known text encoder (cond_stage_model.* or conditioner.embedders.*)"));
        if (type == CheckpointType.SDXL && !entries.containsKey(SDXL_POOLED)) {
            throw unsupported(file, "SDXL text encoders with a UNet that takes no pooled text embedding (\"" + SDXL_POOLED + "\")");
        }
        long textWidth = 0;
        for (TextEncoder e : type.textEncoders()) {
            long[] shape = entries.get(e.tokenEmbedding()).shape();
            textWidth += shape[shape.length - 1];
        }
        long context = entries.entrySet().stream()
                .filter(e -> e.getKey().startsWith(CheckpointType.UNET_PREFIX) && e.getKey().endsWith(".attn2.to_k.weight"))
                .mapToLong(e -> e.getValue().shape()[e.getValue().shape().length - 1])
                .findFirst()
                .orElseThrow(() -> unsupported(file, "a UNet without cross-attention"));
        if (context != textWidth) {
            throw unsupported(file, type + " text encoders " + textWidth + " wide, with a UNet that attends to "
                    + context + " channels");
        }
        return type;
    }

    private static WeightsException unsupported(Path file, String found) {
        return new WeightsException(file + ": not an SD 1.x, SD 2.x or SDXL base checkpoint: found " + found);
    }
}
