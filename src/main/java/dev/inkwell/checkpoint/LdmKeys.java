package dev.inkwell.checkpoint;

import dev.inkwell.checkpoint.MappedSource.Cut;
import dev.inkwell.checkpoint.MappedSource.Stored;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.WeightsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The original (CompVis / Stability) tensor names of each component mapped to the diffusers names
 * Inkwell's modules ask for, as diffusers' {@code single_file_utils} converts them
 * ({@code convert_ldm_unet_checkpoint}, {@code convert_ldm_vae_checkpoint},
 * {@code convert_ldm_clip_checkpoint}, {@code convert_open_clip_checkpoint}). One mechanism serves
 * every component: a rule takes a stored name, without the component's prefix and split at dots,
 * and returns the model tensors it supplies. Names no rule claims (EMA copies,
 * {@code position_ids}, {@code logit_scale}) are never read.
 */
final class LdmKeys {
    private static final Map<String, String> UNET_RESNET = Map.of(
            "in_layers.0", "norm1", "in_layers.2", "conv1", "emb_layers.1", "time_emb_proj",
            "out_layers.0", "norm2", "out_layers.3", "conv2", "skip_connection", "conv_shortcut");
    private static final Map<String, String> VAE_ATTENTION = Map.of(
            "norm", "group_norm", "q", "to_q", "k", "to_k", "v", "to_v", "proj_out", "to_out.0");
    private static final Map<String, String> OPEN_CLIP_LAYER = Map.of(
            "ln_1", "layer_norm1", "ln_2", "layer_norm2", "mlp.c_fc", "mlp.fc1", "mlp.c_proj", "mlp.fc2",
            "attn.out_proj", "self_attn.out_proj");
    private static final List<String> QKV = List.of("q_proj", "k_proj", "v_proj");

    /** A diffusers block and the layer in it that one numbered block of the original UNet holds. */
    private record Slot(String block, int layer) {
    }

    private final Path file;
    private final Iterable<String> keys;

    /** @param keys every tensor name in {@code file} */
    LdmKeys(Path file, Iterable<String> keys) {
        this.file = file;
        this.keys = keys;
    }

    /**
     * The UNet. Its numbered blocks follow from the config: input block 0 is {@code conv_in}, then
     * come each down block's layers and its downsampler (layer -1); each up block has one layer
     * more than its down block, with the upsampler in the last one.
     */
    Map<String, Stored> unet(UNetConfig c) {
        int n = c.blocks();
        List<Slot> inputs = new ArrayList<>(List.of(new Slot("conv_in", 0)));
        List<Slot> outputs = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            for (int l = 0; l < c.layersPerBlock()[b]; l++) {
                inputs.add(new Slot("down_blocks." + b, l));
            }
            if (b < n - 1) {
                inputs.add(new Slot("down_blocks." + b, -1));
            }
            for (int l = 0; l <= c.layersPerBlock()[n - 1 - b]; l++) {
                outputs.add(new Slot("up_blocks." + b, l));
            }
        }
        return collect(CheckpointType.UNET_PREFIX, p -> switch (p[0]) {
            case "time_embed" -> whole(Map.of("0", "time_embedding.linear_1", "2", "time_embedding.linear_2").get(p[1]), p, 2);
            case "label_emb" -> whole(Map.of("0.0", "add_embedding.linear_1", "0.2", "add_embedding.linear_2")
                    .get(p[1] + "." + p[2]), p, 3);
            case "out" -> whole(Map.of("0", "conv_norm_out", "2", "conv_out").get(p[1]), p, 2);
            case "middle_block" -> switch (p[1]) {
                case "0" -> unetResnet("mid_block.resnets.0", p, 2);
                case "1" -> whole("mid_block.attentions.0", p, 2);
                case "2" -> unetResnet("mid_block.resnets.1", p, 2);
                default -> Map.of();
            };
            case "input_blocks" -> {
                Slot s = slot(inputs, p);
                if (s.block().equals("conv_in")) {
                    yield whole("conv_in", p, 3);
                }
                if (s.layer() < 0) {
                    yield p[3].equals("op") ? whole(s.block() + ".downsamplers.0.conv", p, 4) : Map.of();
                }
                yield p[2].equals("0") ? unetResnet(s.block() + ".resnets." + s.layer(), p, 3)
                        : whole(s.block() + ".attentions." + s.layer(), p, 3);
            }
            case "output_blocks" -> {
                Slot s = slot(outputs, p);
                if (p[2].equals("0")) {
                    yield unetResnet(s.block() + ".resnets." + s.layer(), p, 3);
                }
                yield p[3].equals("conv") ? whole(s.block() + ".upsamplers.0.conv", p, 4)
                        : whole(s.block() + ".attentions." + s.layer(), p, 3);
            }
            default -> Map.of();
        });
    }

    /** The VAE. Its decoder numbers the up blocks from the bottom, diffusers from the top. */
    Map<String, Stored> vae(VaeConfig c) {
        int n = c.blockOutChannels().length;
        return collect(CheckpointType.VAE_PREFIX, p -> {
            if (p[0].equals("quant_conv") || p[0].equals("post_quant_conv")) {
                return whole(p[0], p, 1);
            }
            if (!p[0].equals("encoder") && !p[0].equals("decoder")) {
                return Map.of();
            }
            String coder = p[0] + ".";
            return switch (p[1]) {
                case "conv_in", "conv_out" -> whole(coder + p[1], p, 2);
                case "norm_out" -> whole(coder + "conv_norm_out", p, 2);
                case "mid" -> switch (p[2]) {
                    case "block_1" -> vaeResnet(coder + "mid_block.resnets.0", p, 3);
                    case "block_2" -> vaeResnet(coder + "mid_block.resnets.1", p, 3);
                    case "attn_1" -> VAE_ATTENTION.containsKey(p[3])
                            ? whole(coder + "mid_block.attentions.0." + VAE_ATTENTION.get(p[3]), p, 4) : Map.of();
                    default -> Map.of();
                };
                case "down", "up" -> {
                    int level = index(p, 2, n);
                    String block = coder + p[1] + "_blocks." + (p[1].equals("down") ? level : n - 1 - level);
                    yield switch (p[3]) {
                        case "block" -> vaeResnet(block + ".resnets." + p[4], p, 5);
                        case "downsample" -> whole(block + ".downsamplers.0", p, 4);
                        case "upsample" -> whole(block + ".upsamplers.0", p, 4);
                        default -> Map.of();
                    };
                }
                default -> Map.of();
            };
        });
    }

    /** A transformers {@code CLIPTextModel} stored under {@code prefix}: its names are diffusers' already. */
    Map<String, Stored> clip(String prefix) {
        return collect(prefix, p -> whole(p[0], p, 1));
    }

    /**
     * An OpenCLIP text tower stored under {@code prefix}. The fused {@code in_proj} of each layer is
     * split into q, k and v by rows; {@code text_projection}, stored {@code [hidden, projection]}
     * for {@code x @ P}, is transposed into a Linear weight. (diffusers also drops SD 2.x's last
     * resblock, 23; the standard SD 2 config has 23 layers, so that one is never asked for.)
     */
    Map<String, Stored> openClip(String prefix) {
        return collect(prefix, p -> switch (p[0]) {
            case "positional_embedding" -> Map.of("text_model.embeddings.position_embedding.weight", Cut.WHOLE);
            case "token_embedding" -> whole("text_model.embeddings.token_embedding", p, 1);
            case "ln_final" -> whole("text_model.final_layer_norm", p, 1);
            case "text_projection" -> p.length == 1 ? Map.of("text_projection.weight", Cut.TRANSPOSED) : Map.of();
            case "transformer" -> {
                String layer = "text_model.encoder.layers." + p[2] + ".";
                if (p[3].equals("attn") && p[4].startsWith("in_proj_")) {
                    String param = p[4].substring("in_proj_".length());
                    Map<String, Cut> qkv = new HashMap<>();
                    for (int i = 0; i < QKV.size(); i++) {
                        qkv.put(layer + "self_attn." + QKV.get(i) + "." + param, Cut.rows(i, QKV.size()));
                    }
                    yield qkv;
                }
                String module = String.join(".", Arrays.copyOfRange(p, 3, p.length - 1));
                yield OPEN_CLIP_LAYER.containsKey(module)
                        ? Map.of(layer + OPEN_CLIP_LAYER.get(module) + "." + p[p.length - 1], Cut.WHOLE)
                        : Map.of();
            }
            default -> Map.of();
        });
    }

    /**
     * Applies {@code rule} to every stored name under {@code prefix}, the prefix removed and the
     * rest split at dots. A name the rule cannot place (too few parts, a block number the config
     * does not have) is an error, and so are two stored tensors that supply one model key.
     */
    private Map<String, Stored> collect(String prefix, Function<String[], Map<String, Cut>> rule) {
        Map<String, Stored> out = new HashMap<>();
        for (String key : keys) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            Map<String, Cut> targets;
            try {
                targets = rule.apply(key.substring(prefix.length()).split("\\."));
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new WeightsException(file + ": tensor \"" + key + "\" does not fit the component's config ("
                        + e.getMessage() + ")", e);
            }
            targets.forEach((modelKey, cut) -> {
                Stored previous = out.put(modelKey, new Stored(key, cut));
                if (previous != null) {
                    throw new WeightsException(file + ": tensors \"" + previous.key() + "\" and \"" + key
                            + "\" both map to '" + modelKey + "'");
                }
            });
        }
        return out;
    }

    /** {@code target} followed by the stored name from part {@code from} on; nothing if target is null. */
    private static Map<String, Cut> whole(String target, String[] p, int from) {
        if (target == null || from >= p.length) {
            return Map.of();
        }
        return Map.of(target + "." + String.join(".", Arrays.copyOfRange(p, from, p.length)), Cut.WHOLE);
    }

    /** A UNet resnet: {@code in_layers.0} is {@code norm1}, and so on. */
    private static Map<String, Cut> unetResnet(String target, String[] p, int from) {
        String module = String.join(".", Arrays.copyOfRange(p, from, p.length - 1));
        return Map.of(target + "." + UNET_RESNET.getOrDefault(module, module) + "." + p[p.length - 1], Cut.WHOLE);
    }

    /** A VAE resnet: the same names as diffusers' but for the shortcut. */
    private static Map<String, Cut> vaeResnet(String target, String[] p, int from) {
        String module = p[from].equals("nin_shortcut") ? "conv_shortcut" : p[from];
        return whole(target + "." + module, p, from + 1);
    }

    private static Slot slot(List<Slot> slots, String[] p) {
        return slots.get(index(p, 1, slots.size()));
    }

    /** Part {@code at} of the name as a block number below {@code count}, which the config implies. */
    private static int index(String[] p, int at, int count) {
        int i = Integer.parseInt(p[at]);
        if (i >= count) {
            throw new IndexOutOfBoundsException("block " + i + ", but the config has " + count);
        }
        return i;
    }
}
