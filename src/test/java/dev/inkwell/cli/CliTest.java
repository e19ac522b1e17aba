package dev.inkwell.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.pipeline.GaussianNoise;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: outputs, files written, and one-line errors. */
class CliTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cli = Inkwell.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tokenizeJsonMatchesTheReferenceTokenizer() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Goldens.reference("goldens/tokenizer.json").toFile());
        JsonNode prompt = golden.get("prompts").get(3);
        Path model = Goldens.model("sdxl-tiny");
        for (String which : List.of("1", "2")) {
            Run r = run("tokenize", "--model", model.toString(), "--tokenizer", which, "--json", prompt.get("text").asText());
            assertEquals(0, r.exit(), r.err());
            JsonNode line = new ObjectMapper().readTree(r.out().strip());
            assertEquals(prompt.get("text"), line.get("text"));
            assertEquals(prompt.get("ids_untruncated"), line.get("ids"));
            assertEquals(prompt.get("tokens"), line.get("tokens"));
            assertEquals(prompt.get("n_tokens_untruncated").asInt(), line.get("count").asInt());
            assertEquals(prompt.get(which.equals("1") ? "ids_77" : "ids_77_tokenizer2"), line.get("ids_77"));
        }
    }

    @Test
    void generateWithGivenNoiseWritesTheImageAndTheLatents(@TempDir Path dir) throws Exception {
        Path noise = dir.resolve("noise.safetensors");
        float[] values = new GaussianNoise(5).next(4 * 16 * 16);
        SafeTensorsWriter.write(noise, Map.of("noise", SafeTensorsWriter.Tensor.ofFloats(new long[] {1, 4, 16, 16}, values)));
        String[] common = {"generate", "--model", Goldens.model("sd15-tiny").toString(), "-p", "a red fox",
            "-W", "32", "-H", "32", "--steps", "3", "--scheduler", "ddim", "--precision", "float32"};
        Path fromNoise = dir.resolve("a.png");
        Path latentsA = dir.resolve("a.safetensors");
        Run a = run(concat(common, "--init-noise", noise.toString(), "--seed", "99", "-o", fromNoise.toString(),
                "--save-latents", latentsA.toString()));
        assertEquals(0, a.exit(), a.err());
        Path latentsB = dir.resolve("b.safetensors");
        Run b = run(concat(common, "--seed", "5", "-o", dir.resolve("b.png").toString(), "--save-latents", latentsB.toString()));
        assertEquals(0, b.exit(), b.err());
        assertTrue(Files.size(fromNoise) > 0);
        try (SafeTensors la = SafeTensors.open(latentsA); SafeTensors lb = SafeTensors.open(latentsB)) {
            assertArrayEquals(new long[] {1, 4, 16, 16}, la.entry("latents").shape());
            assertArrayEquals(lb.floats("latents"), la.floats("latents"), "noise from seed 5 given as a file");
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        String info = dev.inkwell.image.Images.readPngText(fromNoise).get("parameters");
        // The given noise, not the seed, made the image (DDIM draws no noise of its own): its hash is recorded instead.
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        assertEquals("a red fox\nSteps: 3, Sampler: DDIM, CFG scale: 7.5, Init noise: sha256 " + hash.substring(0, 12)
                + ", Size: 32x32, Model: sd15-tiny, Precision: float32", info);
        Run again = run(concat(common, "--seed", "5", "-o", dir.resolve("b.png").toString()));
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void onePromptPerImageWithItsOwnNegative(@TempDir Path dir) throws Exception {
        Run r = run("generate", "--model", Goldens.model("sd15-tiny").toString(), "-W", "32", "-H", "32", "--steps", "2",
                "-p", "a red fox", "-p", "a blue cat", "-n", "blurry", "-n", "dark", "--seed", "7", "--negative-guidance", "2",
                "-o", dir.resolve("pair.png").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(dev.inkwell.image.Images.readPngText(dir.resolve("pair-1.png")).get("parameters")
                .startsWith("a red fox\nNegative prompt: blurry\n"));
        assertTrue(dev.inkwell.image.Images.readPngText(dir.resolve("pair-2.png")).get("parameters")
                .startsWith("a blue cat\nNegative prompt: dark\nSteps: 2, Sampler: DDIM, CFG scale: 7.5, Negative guidance: 2, Seed: 8,"));
    }

    @Test
    void theEmbeddedModelHasItsOwnGuidanceScales(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fox.png");
        Run r = run("generate", "-p", "a red fox", "-n", "red", "--steps", "1", "--seed", "3", "--precision", "fp32",
                "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("a red fox\nNegative prompt: red\nSteps: 1, Sampler: Euler a, CFG scale: 6, Negative guidance: 2, Seed: 3, "
                + "Size: 64x64, Model: inkwell-storybook, Precision: float32", dev.inkwell.image.Images.readPngText(out).get("parameters"));
    }

    @Test
    void worldSheetWritesTheImageAndItsCaptions(@TempDir Path dir) throws Exception {
        Run r = run("world", "-o", dir.resolve("sheet.png").toString(), "--grid", "3", "--zoom", "1", "--seed", "4");
        assertEquals(0, r.exit(), r.err());
        java.awt.image.BufferedImage sheet = javax.imageio.ImageIO.read(dir.resolve("sheet.png").toFile());
        assertTrue(sheet.getWidth() > 3 * 64 && sheet.getWidth() < 3 * 64 + 40, "3 scenes of 64 px and gutters");
        assertEquals(9, Files.readAllLines(dir.resolve("sheet.txt")).size());
    }

    @Test
    void badInputGivesOneLineAndNonZeroExit() {
        String model = Goldens.model("sd15-tiny").toString();
        List<String[]> cases = List.of(
                new String[] {"generate", "--model", "/no/such/model", "-p", "x"},
                new String[] {"generate", "--model", model, "-p", "x", "-W", "30"},
                new String[] {"generate", "--model", model, "-p", "x", "--steps", "0"},
                new String[] {"generate", "--model", model, "-p", "x", "--scheduler", "plms"},
                new String[] {"generate", "--model", model, "-p", "x", "--init-noise", "/no/noise.safetensors"},
                new String[] {"generate", "--model", model},
                new String[] {"generate", "--model", model, "-p", "x", "--prediction-type", "velocity"},
                new String[] {"generate", "--model", model, "-p", "x", "--config", model},
                new String[] {"tokenize", "--tokenizer", "3", "x"},
                new String[] {"world", "-o", "never.png", "--grid", "0"},
                new String[] {"train", "judge", "--out", "never", "--steps", "0"},
                new String[] {"generate", "--model", model, "-p", "x", "--init-image", "/no/image.png"},
                new String[] {"generate", "--model", model, "-p", "x", "-p", "y", "-n", "a", "-n", "b", "-n", "c"},
                new String[] {"generate", "--model", model, "-p", "x", "--strength", "0"},
                new String[] {"generate", "--model", model, "-p", "x", "--clip-skip", "0"},
                new String[] {"bench", "unet", "--size", "100"},
                new String[] {"generate", "--model", model, "-p", "x", "--negative-guidance", "-1"},
                new String[] {"eval", "--guidance", "1"},
                new String[] {"eval", "--negative-guidance", "-0.5"});
        for (String[] args : cases) {
            Run r = run(args);
            assertTrue(r.exit() != 0, String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("inkwell: "), r.err());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
