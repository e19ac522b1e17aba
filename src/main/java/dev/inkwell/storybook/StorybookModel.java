package dev.inkwell.storybook;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.io.Sha256;
import dev.inkwell.pipeline.GenerationRequest;
import dev.inkwell.weights.DType;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The default model: Inkwell's own storybook model, trained by {@link StorybookTraining} and shipped
 * inside the jar as a diffusers folder (float16 safetensors) with {@code clip/} and {@code judge/}
 * beside the pipeline's parts. Inside a jar it is copied to the user's cache ({@link ModelCache}),
 * since weights are memory-mapped from files; {@code MANIFEST} lists its files with their SHA-256,
 * which names the cache folder, so a newer model never reuses an older copy.
 */
public final class StorybookModel {
    /** The name generated images record as their model. */
    public static final String NAME = "inkwell-storybook";
    /**
     * The guidance scale this model is sampled and measured at unless told otherwise: inside the 5-7 the
     * issue names, 7 drew fewer subjects, colours and accessories than 6 (docs/storybook-model.md).
     */
    public static final double GUIDANCE = 6;
    /**
     * The negative prompts' own guidance scale for this model ({@link
     * dev.inkwell.pipeline.GenerationRequest#negativeGuidance}). Replacing the empty prompt pushes
     * away from a negative prompt with the guidance scale minus one; this small model then overshoots
     * into the opposite colours and loses the subject's shape; at 2 the weights of 2026-12-01 leave
     * fewer pictures in the negative colour than at 1.5 and keep as many subjects (docs/storybook-model.md).
     */
    public static final double NEGATIVE_GUIDANCE = 2;
    /**
     * The personalization learning rate (before the batch scaling) on this model: the original's 1e-5,
     * made for SD 1.5, moves its small cross-attention weights too little in 500 steps to change
     * anything measured, 1e-3 overfits them (docs/personalization.md).
     */
    public static final double PERSONALIZATION_LEARNING_RATE = 3e-4;
    private static final String RESOURCE = "model/";
    private static final String MANIFEST = ModelCache.MANIFEST;

    private StorybookModel() {}

    /** {@link GenerationRequest#of}'s defaults with this model's own scales ({@link #GUIDANCE}, {@link #NEGATIVE_GUIDANCE}). */
    public static GenerationRequest request(String prompt) {
        return GenerationRequest.of(prompt).withGuidance(GUIDANCE).withNegativeGuidance(NEGATIVE_GUIDANCE);
    }

    /** The default model's folder, copying it out of the jar into the cache on first use. */
    public static Path folder() {
        URL index = StorybookModel.class.getResource(RESOURCE + MANIFEST);
        if (index == null) {
            throw new IllegalStateException("this build of Inkwell has no embedded default model; pass --model");
        }
        try {
            if ("file".equals(index.getProtocol())) {
                return Path.of(index.toURI()).getParent();
            }
            return ModelCache.folder(cacheRoot(), resource(MANIFEST), new ModelCache.Source() {
                @Override
                public InputStream open(String file) throws IOException {
                    return StorybookModel.open(file);
                }

                @Override
                public long size(String file) throws IOException {
                    URL url = StorybookModel.class.getResource(RESOURCE + file);
                    if (url == null) {
                        throw new IOException("the embedded default model lacks " + file);
                    }
                    return url.openConnection().getContentLengthLong();
                }
            }, System.err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the default model to " + cacheRoot() + ": " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the float16 copy of a trained model folder to {@code target} (replacing it atomically):
     * every float32 tensor rounded to float16, configs and tokenizer copied, training checkpoints left
     * out, and the manifest written last.
     */
    public static void export(Path trained, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(trained)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith("-training.safetensors"))
                    .filter(f -> !f.getFileName().toString().equals("checkpoint.safetensors"))
                    .filter(f -> !f.getFileName().toString().equals(MANIFEST))
                    .sorted().toList();
        }
        AtomicFiles.replaceFolder(target, folder -> {
            StringBuilder manifest = new StringBuilder();
            for (Path file : files) {
                String relative = trained.relativize(file).toString().replace('\\', '/');
                Path out = folder.resolve(relative);
                Files.createDirectories(out.getParent());
                if (relative.endsWith(".safetensors")) {
                    toHalf(file, out);
                } else {
                    Files.copy(file, out);
                }
                manifest.append(Sha256.hex(Files.readAllBytes(out))).append("  ").append(relative).append('\n');
            }
            Files.writeString(folder.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
        });
    }

    private static void toHalf(Path from, Path to) {
        Map<String, SafeTensorsWriter.Tensor> out = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(from)) {
            st.entries().forEach((name, entry) -> out.put(name, entry.dtype() == DType.F32
                    ? SafeTensorsWriter.Tensor.ofHalfs(entry.shape(), st.floats(name))
                    : new SafeTensorsWriter.Tensor(entry.dtype(), entry.shape(), st.bytes(name))));
            SafeTensorsWriter.write(to, out, st.metadata());
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("inkwell");
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = StorybookModel.class.getResourceAsStream(RESOURCE + file);
        if (in == null) {
            throw new IOException("the embedded default model lacks " + file);
        }
        return in;
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
