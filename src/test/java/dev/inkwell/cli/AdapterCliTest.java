package dev.inkwell.cli;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.adapter.AdapterFiles;
import dev.inkwell.image.Images;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import dev.inkwell.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate and story with --adapter, as a user runs them. */
class AdapterCliTest {
    private static final Path P1 = Goldens.reference("adapters/p1");

    @Test
    void generateWithTheReferenceAdapterMatchesDiffusers(@TempDir Path dir) throws Exception {
        Path adapter = Files.createDirectories(dir.resolve("dog"));
        Files.copy(P1.resolve(AdapterFiles.WEIGHTS), adapter.resolve(AdapterFiles.WEIGHTS));
        Files.copy(P1.resolve("new1.safetensors"), adapter.resolve("<new1>.bin"));
        String model = Goldens.model("sd15-tiny").toString();
        Path latents = dir.resolve("latents.safetensors");
        CliTest.Run r = CliTest.run("generate", "--model", model, "--adapter", adapter.toString(), "-p", "a <new1> dog is swimming",
                "-n", "", "--scheduler", "ddim", "--steps", "10", "-g", "6", "--init-noise",
                P1.resolve("init_latents.safetensors").toString(), "--save-latents", latents.toString(),
                "-o", dir.resolve("dog.png").toString());
        assertEquals(0, r.exit(), r.err());
        try (Goldens.File golden = new Goldens.File("personalize-p1"); SafeTensors ours = SafeTensors.open(latents)) {
            assertClose(golden.tensor("adapter_run/final_latents"), Torch.floats(ours.floats("latents"), 1, 4, 32, 32), 1e-4,
                    "final latents");
        }
        assertTrue(Images.readPngText(dir.resolve("dog.png")).get("parameters").contains("Adapters: <new1>"));

        r = CliTest.run("generate", "--model", model, "-p", "a <new1> dog", "-o", dir.resolve("no.png").toString());
        assertEquals(1, r.exit());
        assertEquals("inkwell: error: the prompt uses <new1>, which no --adapter brings", r.err().strip());

        Path story = dir.resolve("story");
        r = CliTest.run("story", "--model", model, "--adapter", adapter.toString(), "--id-prompt", "a photo of a <new1> dog",
                "--frame", "in the snow", "--frame", "on the beach", "--steps", "2", "-o", story.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Images.readPngText(story.resolve("frame-1.png")).get("parameters").contains("Adapters: <new1>"));
    }
}
