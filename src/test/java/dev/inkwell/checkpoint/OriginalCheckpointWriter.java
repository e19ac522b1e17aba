package dev.inkwell.checkpoint;

import dev.inkwell.nn.Config;
import dev.inkwell.unet.UNetConfig;
import dev.inkwell.vae.VaeConfig;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.SafeTensorsWriter.Tensor;
import dev.inkwell.weights.TensorEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a diffusers folder as one checkpoint file in the original CompVis / Stability naming, the
 * inverse of diffusers' conversion, written from the original layouts independently of
 * {@link LdmKeys}: UNet blocks renumbered, VAE attention as 1x1 convolutions, OpenCLIP attention
 * fused into {@code in_proj} and {@code text_projection} transposed. Extras a real file carries
 * (EMA copies, {@code position_ids}, {@code logit_scale}) are added to show they are ignored.
 */
final class OriginalCheckpointWriter {
    private final Path folder;
    private final Map<String, Tensor> out = new TreeMap<>();

    OriginalCheckpointWriter(Path folder) {
        this.folder = folder;
    }

    OriginalCheckpointWriter unetAndVae() {
        UNetConfig c = UNetConfig.from(Config.read(folder.resolve("unet/config.json")));
        int layers = c.layersPerBlock()[0];
        each("unet/diffusion_pytorch_model.safetensors", (name, t) -> out.put("model.diffusion_model." + unet(name, layers, c), t));
        // A different EMA copy of conv_in: loading it instead of the model weights would change every output.
        Tensor convIn = out.get("model.diffusion_model.input_blocks.0.0.weight");
        out.put("model_ema.diffusion_modelinput_blocks00weight", Tensor.ofFloats(convIn.shape(), new float[count(convIn.shape())]));
        int levels = VaeConfig.from(Config.read(folder.resolve("vae/config.json"))).blockOutChannels().length;
        each("vae/diffusion_pytorch_model.safetensors", (name, t) -> out.put("first_stage_model." + vae(name, levels), reshapedVae(name, t)));
        return this;
    }

    /** A transformers CLIP text model, stored as it is under {@code prefix}. */
    OriginalCheckpointWriter clip(String component, String prefix) {
        each(component + "/model.safetensors", (name, t) -> out.put(prefix + name, t));
        out.put(prefix + "text_model.embeddings.position_ids", Tensor.ofLongs(new long[] {1, 77}, positions()));
        return this;
    }

    /**
     * A CLIP text model in OpenCLIP's layout under {@code prefix}, with {@code extraLayers} copies of
     * layer 0 appended after the last one (SD 2.x checkpoints hold a layer diffusers drops).
     */
    OriginalCheckpointWriter openClip(String component, String prefix, int extraLayers) {
        Map<String, float[]> qkv = new TreeMap<>();
        Map<String, long[]> qkvShape = new TreeMap<>();
        int[] layerCount = {0};
        each(component + "/model.safetensors", (name, t) -> {
            Matcher m = Pattern.compile("text_model\\.encoder\\.layers\\.(\\d+)\\.(.*)").matcher(name);
            if (m.matches()) {
                layerCount[0] = Math.max(layerCount[0], Integer.parseInt(m.group(1)) + 1);
                Matcher attn = Pattern.compile("self_attn\\.([qkv])_proj\\.(weight|bias)").matcher(m.group(2));
                if (attn.matches()) {
                    qkv.put(m.group(1) + "/" + attn.group(2) + "/" + attn.group(1), floats(t));
                    qkvShape.put(m.group(1) + "/" + attn.group(2), t.shape());
                } else {
                    out.put(prefix + "transformer.resblocks." + m.group(1) + "." + openClipLayer(m.group(2)), t);
                }
            } else if (name.equals("text_projection.weight")) {
                out.put(prefix + "text_projection", transpose(t));
            } else {
                out.put(prefix + Map.of(
                        "text_model.embeddings.token_embedding.weight", "token_embedding.weight",
                        "text_model.embeddings.position_embedding.weight", "positional_embedding",
                        "text_model.final_layer_norm.weight", "ln_final.weight",
                        "text_model.final_layer_norm.bias", "ln_final.bias").get(name), t);
            }
        });
        qkvShape.forEach((layerParam, shape) -> {
            String[] lp = layerParam.split("/");
            float[] fused = concat(qkv.get(layerParam + "/q"), qkv.get(layerParam + "/k"), qkv.get(layerParam + "/v"));
            long[] fusedShape = shape.clone();
            fusedShape[0] *= 3;
            out.put(prefix + "transformer.resblocks." + lp[0] + ".attn.in_proj_" + lp[1], Tensor.ofFloats(fusedShape, fused));
        });
        for (int extra = 0; extra < extraLayers; extra++) {
            String from = prefix + "transformer.resblocks.0.";
            String to = prefix + "transformer.resblocks." + (layerCount[0] + extra) + ".";
            new TreeMap<>(out).forEach((name, t) -> {
                if (name.startsWith(from)) {
                    out.put(to + name.substring(from.length()), t);
                }
            });
        }
        out.put(prefix + "logit_scale", Tensor.ofFloats(new long[0], 4.6052f));
        return this;
    }

    /** Adds or replaces a tensor. */
    OriginalCheckpointWriter put(String name, Tensor t) {
        out.put(name, t);
        return this;
    }

    OriginalCheckpointWriter remove(String name) {
        if (out.remove(name) == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return this;
    }

    void write(Path target) {
        SafeTensorsWriter.write(target, out);
    }

    private void each(String file, BiConsumer<String, Tensor> action) {
        try (SafeTensors st = SafeTensors.open(folder.resolve(file))) {
            for (TensorEntry e : st.entries().values()) {
                action.accept(e.name(), Tensor.ofFloats(e.shape(), st.floats(e.name())));
            }
        }
    }

    /** diffusers UNet name to the original, for blocks of {@code layers} resnets each. */
    private static String unet(String name, int layers, UNetConfig c) {
        Map<String, String> fixed = Map.of("time_embedding.linear_1", "time_embed.0", "time_embedding.linear_2", "time_embed.2",
                "add_embedding.linear_1", "label_emb.0.0", "add_embedding.linear_2", "label_emb.0.2",
                "conv_in", "input_blocks.0.0", "conv_norm_out", "out.0", "conv_out", "out.2");
        String module = name.substring(0, name.lastIndexOf('.'));
        if (fixed.containsKey(module)) {
            return fixed.get(module) + name.substring(module.length());
        }
        Matcher m = Pattern.compile("(down|up|mid)_blocks?\\.(?:(\\d+)\\.)?(resnets|attentions|downsamplers|upsamplers)\\.(\\d+)\\.(.*)")
                .matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected UNet tensor " + name);
        }
        int layer = Integer.parseInt(m.group(4));
        String rest = m.group(5);
        switch (m.group(1)) {
            case "mid" -> {
                return m.group(3).equals("attentions") ? "middle_block.1." + rest
                        : "middle_block." + (layer == 0 ? 0 : 2) + "." + resnet(rest);
            }
            case "down" -> {
                int first = 1 + Integer.parseInt(m.group(2)) * (layers + 1);
                return switch (m.group(3)) {
                    case "resnets" -> "input_blocks." + (first + layer) + ".0." + resnet(rest);
                    case "attentions" -> "input_blocks." + (first + layer) + ".1." + rest;
                    default -> "input_blocks." + (first + layers) + ".0.op." + rest.substring("conv.".length());
                };
            }
            default -> {
                int block = Integer.parseInt(m.group(2));
                int first = block * (layers + 1);
                boolean attention = c.upBlockTypes().get(block).startsWith("CrossAttn");
                return switch (m.group(3)) {
                    case "resnets" -> "output_blocks." + (first + layer) + ".0." + resnet(rest);
                    case "attentions" -> "output_blocks." + (first + layer) + ".1." + rest;
                    default -> "output_blocks." + (first + layers) + "." + (attention ? 2 : 1) + "." + rest;
                };
            }
        }
    }

    private static String resnet(String rest) {
        for (Map.Entry<String, String> e : Map.of("norm1", "in_layers.0", "conv1", "in_layers.2",
                "time_emb_proj", "emb_layers.1", "norm2", "out_layers.0", "conv2", "out_layers.3",
                "conv_shortcut", "skip_connection").entrySet()) {
            if (rest.startsWith(e.getKey() + ".")) {
                return e.getValue() + rest.substring(e.getKey().length());
            }
        }
        throw new IllegalArgumentException("unexpected resnet tensor " + rest);
    }

    /** diffusers VAE name to the original, whose decoder numbers its {@code levels} up blocks from the bottom. */
    private static String vae(String name, int levels) {
        Matcher m = Pattern.compile("(encoder|decoder)\\.(.*)").matcher(name);
        if (!m.matches()) {
            return name; // quant_conv, post_quant_conv
        }
        String coder = m.group(1) + ".";
        String rest = m.group(2).replace("conv_shortcut", "nin_shortcut");
        Matcher block = Pattern.compile("(down|up)_blocks\\.(\\d+)\\.(resnets|downsamplers|upsamplers)\\.(\\d+)\\.(.*)").matcher(rest);
        Matcher mid = Pattern.compile("mid_block\\.(resnets|attentions)\\.(\\d+)\\.(.*)").matcher(rest);
        if (block.matches()) {
            int level = block.group(1).equals("down") ? Integer.parseInt(block.group(2))
                    : levels - 1 - Integer.parseInt(block.group(2));
            String where = coder + block.group(1) + "." + level + ".";
            return switch (block.group(3)) {
                case "resnets" -> where + "block." + block.group(4) + "." + block.group(5);
                case "downsamplers" -> where + "downsample." + block.group(5);
                default -> where + "upsample." + block.group(5);
            };
        }
        if (mid.matches()) {
            if (mid.group(1).equals("resnets")) {
                return coder + "mid.block_" + (Integer.parseInt(mid.group(2)) + 1) + "." + mid.group(3);
            }
            String[] moduleParam = {mid.group(3).substring(0, mid.group(3).lastIndexOf('.')),
                    mid.group(3).substring(mid.group(3).lastIndexOf('.') + 1)};
            return coder + "mid.attn_1." + Map.of("group_norm", "norm", "to_q", "q", "to_k", "k", "to_v", "v",
                    "to_out.0", "proj_out").get(moduleParam[0]) + "." + moduleParam[1];
        }
        return coder + rest.replace("conv_norm_out", "norm_out");
    }

    /** The original VAE's attention projections are 1x1 convolutions. */
    private static Tensor reshapedVae(String name, Tensor t) {
        if (name.contains("mid_block.attentions") && t.shape().length == 2) {
            long[] s = t.shape();
            return new Tensor(t.dtype(), new long[] {s[0], s[1], 1, 1}, t.data());
        }
        return t;
    }

    private static String openClipLayer(String rest) {
        for (Map.Entry<String, String> e : Map.of("layer_norm1", "ln_1", "layer_norm2", "ln_2", "mlp.fc1", "mlp.c_fc",
                "mlp.fc2", "mlp.c_proj", "self_attn.out_proj", "attn.out_proj").entrySet()) {
            if (rest.startsWith(e.getKey() + ".")) {
                return e.getValue() + rest.substring(e.getKey().length());
            }
        }
        throw new IllegalArgumentException("unexpected CLIP layer tensor " + rest);
    }

    private static Tensor transpose(Tensor t) {
        long[] s = t.shape();
        float[] v = floats(t);
        float[] r = new float[v.length];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                r[(int) (j * s[0] + i)] = v[(int) (i * s[1] + j)];
            }
        }
        return Tensor.ofFloats(new long[] {s[1], s[0]}, r);
    }

    static float[] floats(Tensor t) {
        float[] v = new float[count(t.shape())];
        t.data().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static float[] concat(float[]... parts) {
        float[] all = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static int count(long[] shape) {
        return (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    private static long[] positions() {
        long[] ids = new long[77];
        Arrays.setAll(ids, i -> i);
        return ids;
    }
}
