package dev.inkwell.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import java.io.IOException;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import dev.inkwell.weights.TensorEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line promises a new user: no silent black images, no lost work, no overwritten files. */
class CliPromisesTest {
    private static final String MODEL = Goldens.model("sd15-tiny").toString();

    private static String[] generate(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", MODEL, "-p", "a red fox", "--steps", "2",
                "-W", "32", "-H", "32", "--seed", "1", "-o", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void assertRefused(CliTest.Run r, String expected, String what) {
        assertTrue(r.exit() != 0, what + ": exit " + r.exit());
        assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void nonFiniteOrHugeScalesAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fox.png");
        assertRefused(CliTest.run(generate(out, "--guidance", "Infinity")), "guidance must be from 0 to 100", "Infinity");
        assertRefused(CliTest.run(generate(out, "--guidance", "1e30")), "guidance must be from 0 to 100", "1e30");
        assertRefused(CliTest.run(generate(out, "--guidance", "NaN")), "guidance must be from 0 to 100", "NaN");
        assertRefused(CliTest.run(generate(out, "--negative-guidance", "1e30", "-n", "blurry")), "negative guidance", "negative 1e30");
        assertEquals(0, files(dir));
    }

    /** A model whose UNet output turns NaN: the run ends with one line and no PNG, not a black image. */
    @Test
    void aDivergedRunWritesNoImage(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("broken");
        copyTree(Goldens.model("sd15-tiny"), model);
        Path unet = model.resolve("unet/diffusion_pytorch_model.safetensors");
        Map<String, SafeTensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(Goldens.model("sd15-tiny").resolve("unet/diffusion_pytorch_model.safetensors"))) {
            for (TensorEntry e : st.entries().values()) {
                float[] v = st.floats(e.name());
                if (e.name().equals("conv_out.bias")) {
                    v[0] = Float.NaN;
                }
                tensors.put(e.name(), SafeTensorsWriter.Tensor.ofFloats(e.shape(), v));
            }
        }
        Files.delete(unet);
        SafeTensorsWriter.write(unet, tensors);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        CliTest.Run r = CliTest.run("generate", "--model", model.toString(), "-p", "a red fox", "--steps", "2", "-W", "32", "-H", "32",
                "-o", out.resolve("fox.png").toString());
        assertRefused(r, "diverged", "NaN model");
        assertEquals(0, files(out));
    }

    @Test
    void noOutputIsReplacedOrDoubledAndBadTargetsAreFoundFirst(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fox.png");
        Path latents = dir.resolve("latents.safetensors");
        Files.writeString(latents, "keep me");
        assertRefused(CliTest.run(generate(out, "--save-latents", latents.toString())), "already exists", "existing latents");
        assertEquals("keep me", Files.readString(latents));
        assertRefused(CliTest.run(generate(out, "--save-latents", out.toString())), "both name", "latents on the PNG");
        assertRefused(CliTest.run(generate(out, "--grid", out.toString())), "both name", "grid on the PNG");
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertRefused(CliTest.run(generate(file.resolve("fox.png"))), "is a file, not a folder", "parent is a file");
        assertRefused(CliTest.run(generate(dir.resolve("missing/fox.png"))), "does not exist", "missing folder");
        assertRefused(CliTest.run(generate(dir.resolve("fox.jpg"))), "name the file .png", "jpg");
        assertFalse(Files.exists(out));
        // A folder as -o gets the image inside, named by its seed.
        Path folder = dir.resolve("images");
        Files.createDirectories(folder);
        CliTest.Run ok = CliTest.run(generate(folder));
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(Files.isRegularFile(folder.resolve("inkwell-1.png")));
    }

    @Test
    void seedsFollowTheFieldsConventions(@TempDir Path dir) throws Exception {
        Path random = dir.resolve("random.png");
        CliTest.Run r = CliTest.run("generate", "--model", MODEL, "-p", "a red fox", "--steps", "2", "-W", "32", "-H", "32",
                "--seed", "-1", "-o", random.toString());
        assertEquals(0, r.exit(), r.err());
        Path top = dir.resolve("top.png");
        String[] args = generate(top);
        args[args.length - 3] = "18446744073709551615";
        r = CliTest.run(args);
        assertEquals(0, r.exit(), r.err());
        assertTrue(Images.readPngText(top).get("parameters").contains("Seed: 18446744073709551615"),
                Images.readPngText(top).get("parameters"));
        args[args.length - 3] = "-5";
        assertRefused(CliTest.run(args), "--seed must be a whole number", "negative seed");
    }

    @Test
    void groupsAloneShowTheirUsageAndFailAndEveryCommandHasAVersion() {
        for (String[] args : new String[][] {{}, {"bench"}, {"train"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.exit(), String.join(" ", args));
            assertTrue(r.err().contains("Usage: inkwell" + (args.length == 0 ? "" : " " + args[0])), r.err());
        }
        for (String[] args : new String[][] {{"--version"}, {"generate", "--version"}, {"eval", "story", "--version"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("Inkwell 0.1.0") && r.out().contains("libtorch 2.10.0"), String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void largeBatchesRunInPartsWrittenAsTheyFinishAndEqualOneBatch(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole.png");
        Path parts = dir.resolve("parts.png");
        CliTest.Run r = CliTest.run(generate(whole, "-b", "3", "--save-latents", dir.resolve("whole.safetensors").toString()));
        assertEquals(0, r.exit(), r.err());
        r = CliTest.run(generate(parts, "-b", "3", "--max-batch", "2", "--save-latents", dir.resolve("parts.safetensors").toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("3 images in ") && r.out().contains(" s per image"), r.out());
        for (int i = 1; i <= 3; i++) {
            // A batch of 1 and of 3 round differently in the batched kernels: equal within one level of 255.
            int[] a = pixels(dir.resolve("whole-" + i + ".png"));
            int[] b = pixels(dir.resolve("parts-" + i + ".png"));
            for (int p = 0; p < a.length; p++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = Math.abs(((a[p] >> shift) & 255) - ((b[p] >> shift) & 255));
                    assertTrue(d <= 1, "image " + i + " pixel " + p + " differs by " + d);
                }
            }
            assertEquals(Images.readPngText(dir.resolve("whole-" + i + ".png")), Images.readPngText(dir.resolve("parts-" + i + ".png")));
        }
        try (SafeTensors a = SafeTensors.open(dir.resolve("whole.safetensors"));
                SafeTensors b = SafeTensors.open(dir.resolve("parts.safetensors"))) {
            assertArrayEquals(a.entries().get("latents").shape(), b.entries().get("latents").shape());
            assertArrayEquals(a.floats("latents"), b.floats("latents"), 1e-4f);
        }
        assertRefused(CliTest.run(generate(dir.resolve("x.png"), "--max-batch", "0")), "--max-batch must be positive", "max 0");
        assertRefused(CliTest.run("generate", "--model", MODEL, "-p", "a red fox", "-W", "65536", "-H", "65536",
                "-o", dir.resolve("x.png").toString()), "more than this machine's", "too large");
    }

    @Test
    void theInfotextSaysExactlyWhatMadeTheImage(@TempDir Path dir) throws Exception {
        Path forged = dir.resolve("forged.png");
        CliTest.Run r = CliTest.run("generate", "--model", MODEL, "-p", "a red fox\nNegative prompt: x\nSteps: 1, Seed: 9",
                "--steps", "2", "-W", "32", "-H", "32", "--seed", "1", "--precision", "float32", "-o", forged.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Images.readPngText(forged).get("parameters").lines().toList();
        assertEquals(List.of("a red fox Negative prompt: x Steps: 1, Seed: 9",
                "Steps: 2, Sampler: DDIM, CFG scale: 7.5, Seed: 1, Size: 32x32, Model: sd15-tiny, Precision: float32"), lines);
        assertRefused(CliTest.run(generate(dir.resolve("nul.png"), "-n", "a\u0000b")), "control character U+0000", "NUL");

        Path unguided = dir.resolve("unguided.png");
        r = CliTest.run(generate(unguided, "-n", "blurry", "-g", "1", "--strength", "0.5"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("-n has no effect") && r.err().contains("--strength has no effect"), r.err());
        assertFalse(Images.readPngText(unguided).get("parameters").contains("Negative prompt"));

        Path noise = dir.resolve("noise.safetensors");
        SafeTensorsWriter.write(noise, Map.of("noise", SafeTensorsWriter.Tensor.ofFloats(new long[] {1, 4, 16, 16},
                new dev.inkwell.pipeline.GaussianNoise(5).next(1024))));
        Path given = dir.resolve("given.png");
        r = CliTest.run(generate(given, "--init-noise", noise.toString()));
        assertEquals(0, r.exit(), r.err());
        String info = Images.readPngText(given).get("parameters");
        assertTrue(info.contains("Init noise: sha256 ") && !info.contains("Seed:"), info);
        Path ancestral = dir.resolve("ancestral.png");
        assertEquals(0, CliTest.run(generate(ancestral, "--init-noise", noise.toString(), "--scheduler", "euler_a")).exit());
        info = Images.readPngText(ancestral).get("parameters");
        assertTrue(info.contains("Init noise: sha256 ") && info.contains("Seed: 1"), info);

        Path sdxl = dir.resolve("sdxl.png");
        r = CliTest.run("generate", "--model", Goldens.model("sdxl-tiny").toString(), "-p", "a red fox", "--steps", "2",
                "-W", "32", "-H", "32", "--clip-skip", "2", "-o", sdxl.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("--clip-skip has no effect on SDXL"), r.err());
        assertFalse(Images.readPngText(sdxl).get("parameters").contains("Clip skip"));
    }

    @Test
    void aPromptStartingWithAtIsAPrompt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("at.png");
        CliTest.Run r = CliTest.run("generate", "--model", MODEL, "-p", "@home", "--steps", "1", "-W", "32", "-H", "32",
                "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Images.readPngText(out).get("parameters").startsWith("@home\n"));
    }

    @Test
    void errorsNameTheThingAndTheReason(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.png");
        assertRefused(CliTest.run("world", "-o", sheet.toString(), "--zoom", "100000"),
                "--grid 8 at --zoom 100000 makes a sheet over 51200000 pixels wide; at most 16384", "zoom");
        assertRefused(CliTest.run("world", "-o", sheet.toString(), "--grid", "100000"), "makes a sheet over", "grid");
        assertRefused(CliTest.run("train", "vae", "--out", dir.resolve("vae").toString(), "--steps", "99999999999"),
                "'99999999999' is not an int", "vae steps");
        assertRefused(CliTest.run("generate", "--model", MODEL, "-p", "a red fox", "-W", "60", "-o", dir.resolve("w.png").toString()),
                "width must be a multiple of 8 (0: the model's native size), not 60", "width alone");
        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2});
        assertRefused(CliTest.run(generate(dir.resolve("i.png"), "--init-image", broken.toString())), broken.toString(), "bad image");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFiles.write(Path.of("/proc/inkwell-test.png"), false, f -> Files.writeString(f, "x")));
        assertTrue(e.getMessage().startsWith("cannot write /proc/inkwell-test.png: ") && !e.getMessage().contains(".tmp"),
                e.getMessage());

        CliTest.Run r = CliTest.run("world", "-o", sheet.toString(), "--grid", "2", "--zoom", "1");
        assertEquals(0, r.exit(), r.err());
        Files.delete(sheet);
        assertRefused(CliTest.run("world", "-o", sheet.toString(), "--grid", "2", "--zoom", "1"), "sheet.txt already exists",
                "captions kept");
        assertEquals(0, CliTest.run("world", "-o", sheet.toString(), "--grid", "2", "--zoom", "1", "--overwrite").exit());
    }

    @Test
    void tokenizeShowsTheChunksAndWeightsGenerateReads() throws Exception {
        String text = "a (red:1.3) fox, " + "in the snow, ".repeat(30) + "BREAK at night";
        CliTest.Run r = CliTest.run("tokenize", text);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("generate reads it as 3 chunks of up to 75 tokens"), r.out());
        assertTrue(r.out().contains("chunk 1: a</w> red</w>:1.3 fox</w> ,</w> in</w>"), r.out());
        assertTrue(r.out().contains("chunk 3: at</w> night</w>\n"), r.out());
        assertTrue(r.out().contains("diffusers' own pipelines would truncate it"), r.out());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CliTest.run("tokenize", "--json", text).out());
        assertEquals(3, json.get("chunks").size());
        assertEquals(77, json.get("chunks").get(0).get("ids").size());
        assertEquals(1.3, json.get("chunks").get(0).get("weights").get(2).asDouble(), 1e-6);
        assertEquals(1.0, json.get("chunks").get(0).get("weights").get(3).asDouble(), 1e-6);
    }

    private static int[] pixels(Path png) throws Exception {
        java.awt.image.BufferedImage image = Images.read(png);
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
