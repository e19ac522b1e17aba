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
                "-n", "", "--scheduler", "ddim", "--steps", "10", "-g", "6", "--precision", "float32", "--init-noise",
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

    @Test
    void personalizeWritesAnAdapterThatGenerateUses(@TempDir Path dir) throws Exception {
        Path pictures = Files.createDirectories(dir.resolve("pictures"));
        Files.copy(P1.resolve("init_latents.safetensors"), pictures.resolve("not-a-picture.safetensors"));
        for (int i = 0; i < 2; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(10 + i, 10, 0xff0000);
            javax.imageio.ImageIO.write(image, "png", pictures.resolve(i + ".png").toFile());
        }
        String model = Goldens.model("sd15-tiny").toString();
        Path adapter = dir.resolve("adapter");
        String[] args = {"personalize", "--model", model, "--images", pictures.toString(), "--class", "dog", "--steps", "2",
            "--checkpoint-every", "1", "--validation-prompt", "a <new1> dog", "--validate-every", "2", "-o", adapter.toString()};
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("personalize step 2/2") && r.out().contains("wrote the adapter to"), r.out());
        assertTrue(Files.exists(adapter.resolve("new1.safetensors")) && Files.exists(adapter.resolve("validation/step-2.png")));
        r = CliTest.run(args);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("holds a checkpoint of an earlier run; --resume continues it"), r.err());
        r = CliTest.run("generate", "--model", model, "--adapter", adapter.toString(), "-p", "a <new1> dog", "--steps", "2",
                "-o", dir.resolve("dog.png").toString());
        assertEquals(0, r.exit(), r.err());
        for (String[] bad : new String[][] {
            {"personalize", "--model", model, "--images", pictures.toString(), "-o", dir.resolve("x").toString()},
            {"personalize", "--model", model, "--images", pictures.toString(), "--class", "dog", "--spl-pooling", "mean",
                "-o", dir.resolve("x").toString()},
            {"personalize", "--model", model, "--images", dir.resolve("none").toString(), "--class", "dog", "-o",
                dir.resolve("x").toString()},
            {"personalize", "--model", model, "--images", pictures.toString(), "--class", "dog", "--token", "new1",
                "-o", dir.resolve("x").toString()},
            {"personalize", "--model", Goldens.model("sdxl-tiny").toString(), "--images", pictures.toString(), "--class", "dog",
                "-o", dir.resolve("x").toString()},
        }) {
            CliTest.Run refused = CliTest.run(bad);
            assertTrue(refused.exit() != 0 && refused.err().strip().lines().count() == 1, String.join(" ", bad) + ": " + refused.err());
        }
        assertTrue(!Files.exists(dir.resolve("x")), "nothing written for refused runs");
    }

    @Test
    void evalPersonalizeReportsEveryMethod(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("eval.json");
        Path keep = dir.resolve("kept");
        CliTest.Run r = CliTest.run("eval", "personalize", "--individuals", "1", "--prompts", "2", "--steps", "2",
                "--methods", "class-only,class-diffusion,textual-inversion", "--json", json.toString(), "--keep", keep.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("| class prompt only (no training) |") && r.out().contains("| ClassDiffusion (SPL 1, eos) |")
                && r.out().contains("| token embedding only |"), r.out());
        com.fasterxml.jackson.databind.JsonNode scores = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(3, scores.size());
        for (com.fasterxml.jackson.databind.JsonNode m : scores) {
            double identity = m.get("identity_fidelity").get("mean").asDouble();
            assertTrue(identity >= 0 && identity <= 1 && m.get("identity_fidelity").get("n").asInt() == 2, m.toString());
        }
        assertTrue(Files.exists(keep.resolve("individual-0/picture-5.png")) && Files.exists(keep.resolve("class_diffusion-0/image-2.png"))
                && Files.exists(keep.resolve("class_diffusion-0").resolve(AdapterFiles.WEIGHTS))
                && !Files.exists(keep.resolve("textual_inversion-0").resolve(AdapterFiles.WEIGHTS)));
    }

    @Test
    void priorPreservationDrawsMissingClassPicturesAndTrainsOnThem(@TempDir Path dir) throws Exception {
        Path pictures = Files.createDirectories(dir.resolve("pictures"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(90, 70, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                pictures.resolve("a.png").toFile());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(50, 80, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg",
                classes.resolve("mine.jpg").toFile());
        Path adapter = dir.resolve("adapter");
        CliTest.Run r = CliTest.run("personalize", "--model", Goldens.model("sd15-tiny").toString(), "--images", pictures.toString(),
                "--class", "dog", "--class-images", classes.toString(), "--num-class-images", "3", "--steps", "2",
                "-o", adapter.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("drew 2 class pictures of \"a photo of a dog\""), r.out());
        assertTrue(r.out().contains("learning rate 4.00e-05"), "1e-5 x batch 2 x 2 with prior preservation: " + r.out());
        try (var list = Files.list(classes)) {
            assertEquals(3, list.count());
        }
        String losses = Files.readString(adapter.resolve("losses.csv"));
        assertTrue(losses.contains(",prior,") && losses.contains(",spl,") && losses.contains(",denoising,"), losses);
    }
}
