package dev.inkwell.storybook;

import dev.inkwell.io.AtomicFiles;
import dev.inkwell.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded model's copy in the user's cache, where its weights can be memory-mapped. Each use
 * checks that every file of the manifest is there with its size; the first use of a copy also
 * checks every file's SHA-256 (a marker file records that it passed). A damaged copy is unpacked
 * again, so a bad cache never lasts.
 */
final class ModelCache {
    /** The manifest: one {@code sha256  relative/path} line per file. */
    static final String MANIFEST = "files.txt";
    /** Written once every file of the copy matched its hash. */
    static final String VERIFIED = ".verified";

    /** Where the embedded files come from (the jar). */
    interface Source {
        InputStream open(String file) throws IOException;

        long size(String file) throws IOException;
    }

    private ModelCache() {}

    /**
     * The intact copy of the model under {@code root}, unpacking (or repairing) it from {@code source}.
     *
     * @param notices where a repair is reported
     */
    static Path folder(Path root, String manifest, Source source, PrintStream notices) throws IOException {
        Path cached = root.resolve("storybook-" + Sha256.hex(manifest.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        Map<String, String> hashes = hashes(manifest);
        String damage = damage(cached, manifest, hashes, source);
        if (damage == null) {
            return cached;
        }
        if (Files.exists(cached)) {
            notices.println("inkwell: the cached default model in " + cached + " is damaged (" + damage + "); unpacking it again");
        }
        AtomicFiles.replaceFolder(cached, folder -> {
            for (Map.Entry<String, String> e : hashes.entrySet()) {
                Path target = folder.resolve(e.getKey());
                Files.createDirectories(target.getParent());
                try (InputStream in = source.open(e.getKey())) {
                    if (!Sha256.copy(in, target).equals(e.getValue())) {
                        throw new IOException("the embedded default model's " + e.getKey() + " does not match " + MANIFEST
                                + "; this copy of Inkwell is damaged");
                    }
                }
            }
            Files.writeString(folder.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
            Files.createFile(folder.resolve(VERIFIED));
        });
        return cached;
    }

    /** What is wrong with the copy, or {@code null} when it is intact. */
    private static String damage(Path cached, String manifest, Map<String, String> hashes, Source source) throws IOException {
        Path list = cached.resolve(MANIFEST);
        if (!Files.isRegularFile(list)) {
            return MANIFEST + " is missing";
        }
        if (!Files.readString(list, StandardCharsets.UTF_8).equals(manifest)) {
            return MANIFEST + " differs from the embedded one";
        }
        for (String file : hashes.keySet()) {
            Path copy = cached.resolve(file);
            if (!Files.isRegularFile(copy)) {
                return file + " is missing";
            }
            long size = source.size(file);
            if (Files.size(copy) != size) {
                return file + " has " + Files.size(copy) + " bytes, not " + size;
            }
        }
        if (Files.exists(cached.resolve(VERIFIED))) {
            return null;
        }
        for (Map.Entry<String, String> e : hashes.entrySet()) {
            try (InputStream in = Files.newInputStream(cached.resolve(e.getKey()))) {
                if (!Sha256.copy(in, null).equals(e.getValue())) {
                    return e.getKey() + " does not match its SHA-256";
                }
            }
        }
        Files.createFile(cached.resolve(VERIFIED));
        return null;
    }

    /** The manifest's files, in order, with their hashes. */
    static Map<String, String> hashes(String manifest) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String line : manifest.split("\n")) {
            if (!line.isBlank()) {
                int gap = line.indexOf("  ");
                hashes.put(line.substring(gap + 2), line.substring(0, gap));
            }
        }
        return hashes;
    }
}
