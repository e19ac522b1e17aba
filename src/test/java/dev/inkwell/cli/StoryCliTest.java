package dev.inkwell.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inkwell.image.Images;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import dev.inkwell.weights.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inkwell story}: the story-s1 golden through the command line, its outputs, and bad input. */
class StoryCliTest {
    @Test
    void theS1GoldenThroughTheCommandLine(@TempDir Path dir) throws Exception {
        Path noise = dir.resolve("noise.safetensors");
        Path latents = dir.resolve("latents.safetensors");
        try (Goldens.File golden = new Goldens.File("story-s1")) {
            SafeTensorsWriter.write(noise, Map.of("latents", SafeTensorsWriter.Tensor.ofFloats(new long[] {1, 4, 32, 32},
                    golden.floats("init_latents"))));
            CliTest.Run r = CliTest.run("story", "--model", Goldens.model("sdxl-tiny").toString(), "--id-prompt", "A photo of a red fox with coat",
                    "--frame", "wearing a scarf in a meadow", "--frame", "playing in the snow",
                    "--frame", "at the edge of a village with river", "--steps", "10", "-W", "64", "-H", "64", "--seed", "42",
                    "--precision", "float32",
                    "--init-noise", noise.toString(), "--save-latents", latents.toString(), "-o", dir.resolve("s1").toString());
            assertEquals(0, r.exit(), r.err());
            try (SafeTensors saved = SafeTensors.open(latents)) {
                Tensor expected = golden.tensor("final_latents");
                Tensor actual = dev.inkwell.tensor.Torch.floats(saved.floats("latents"), saved.entry("latents").shape());
                double scale = expected.abs().max().item_double();
                Goldens.assertClose(expected, actual, 1e-4 * scale, "story-s1 final latents via the CLI");
            }
        }
        Path out = dir.resolve("s1");
        for (String f : List.of("frame-1.png", "frame-2.png", "frame-3.png", "story.png", "story.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String info = Images.readPngText(out.resolve("frame-2.png")).get("parameters");
        assertTrue(info.startsWith("A photo of a red fox with coat wearing a scarf in a meadow playing in the snow"), info);
        assertTrue(info.contains("Steps: 10, Sampler: Euler, CFG scale: 5") && info.contains("Story frame: 2/3"), info);
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("story.json").toFile());
        assertEquals("svr", manifest.get("settings").get("svr_mode").asText());
        assertEquals(3, manifest.get("settings").get("effective_window").asInt());
        assertEquals("playing in the snow", manifest.get("frames").get(1).get("frame_prompt").asText());
        assertEquals(5.0, manifest.get("generation").get("guidance").asDouble());
        assertEquals(Images.read(out.resolve("story.png")).getWidth() > 3 * 64, true);
    }

    @Test
    void badInputEndsInOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        String model = Goldens.model("sd15-tiny").toString();
        Path out = dir.resolve("out");
        String longId = String.join(" ", java.util.Collections.nCopies(80, "fox"));
        Path badFile = dir.resolve("bad.json");
        Files.writeString(badFile, "{\"combinations\": [{\"id_prompt\": \"a fox\", \"frame_prompt_list\": []}]}");
        List<String[]> cases = List.of(
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", " ", "--frame", "x", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "x", "--window", "0", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "x", "--svr-mode", "loud", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", longId, "--frame", "in the snow", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "x", "--guidance", "NaN", "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "x", "--ipca-dropout", "1.5", "-o", out.toString()},
                new String[] {"story", "--model", model, "--story-file", badFile.toString(), "-o", out.toString()},
                new String[] {"story", "--model", model, "--id-prompt", "a fox", "--frame", "x", "-n", "a", "-n", "b", "-o", out.toString()});
        for (String[] args : cases) {
            CliTest.Run r = CliTest.run(args);
            assertTrue(r.exit() != 0, String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("inkwell: "), r.err());
            assertFalse(Files.exists(out) && hasFiles(out), String.join(" ", args) + " wrote something");
        }
    }

    private static boolean hasFiles(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.anyMatch(Files::isRegularFile);
        }
    }
}
