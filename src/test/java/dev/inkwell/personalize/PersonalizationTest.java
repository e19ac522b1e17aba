package dev.inkwell.personalize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inkwell.adapter.Adapter;
import dev.inkwell.adapter.AdapterFiles;
import dev.inkwell.pipeline.LoadOptions;
import dev.inkwell.pipeline.StableDiffusion;
import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on any picture folder: resumable bit for bit, only the adapter's parts change. */
class PersonalizationTest {
    private static final Path MODEL = Goldens.model("sd15-tiny");

    /** Three pictures of a red disc: PNG and JPEG, square and not. */
    private static Path pictures(Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("pictures"));
        int[][] sizes = {{64, 64}, {90, 70}, {48, 80}};
        for (int i = 0; i < sizes.length; i++) {
            BufferedImage image = new BufferedImage(sizes[i][0], sizes[i][1], BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(40 * i, 120, 200));
            g.fillRect(0, 0, sizes[i][0], sizes[i][1]);
            g.setColor(Color.RED);
            g.fillOval(8, 8, sizes[i][0] / 2, sizes[i][1] / 2);
            g.dispose();
            ImageIO.write(image, i == 1 ? "jpg" : "png", folder.resolve("p" + i + (i == 1 ? ".jpg" : ".png")).toFile());
        }
        return folder;
    }

    private static Adapter train(List<Concept> concepts, int steps, Path out) throws Exception {
        Personalization.Settings d = Personalization.Settings.defaults();
        Personalization.Settings settings = new Personalization.Settings(steps, 2, 1e-3, true, 1.0, d.pooling(), false, 7,
                0, true, 2, null, 50, true, 0);
        try (StableDiffusion sd = Personalization.load(MODEL, concepts, LoadOptions.DEFAULT)) {
            float[] vocabulary = Torch.toFloats(sd.textEncoder().parameters().get(TrainableParameters.TOKEN_EMBEDDING));
            Adapter adapter = Personalization.train(sd, "sd15-tiny", concepts, ConceptImages.instances(concepts), null, settings, out,
                    new PrintWriter(new StringWriter()));
            assertArrayEquals(vocabulary, Torch.toFloats(sd.textEncoder().parameters().get(TrainableParameters.TOKEN_EMBEDDING)),
                    "the vocabulary's rows stay bit-identical");
            return adapter;
        }
    }

    @Test
    void anInterruptedRunResumedEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        List<Concept> concepts = List.of(Concept.of("<new1>", "disc", pictures(dir)));
        Adapter whole = train(concepts, 4, dir.resolve("whole"));
        Path interrupted = dir.resolve("interrupted");
        Adapter half = train(concepts, 2, interrupted);
        Adapter resumed = train(concepts, 4, interrupted);
        assertArrayEquals(whole.tokens().get("<new1>"), resumed.tokens().get("<new1>"));
        whole.keyValues().forEach((module, kv) -> {
            assertArrayEquals(kv.key(), resumed.keyValues().get(module).key(), module);
            assertArrayEquals(kv.value(), resumed.keyValues().get(module).value(), module);
        });
        assertNotEquals(java.util.Arrays.toString(half.tokens().get("<new1>")), java.util.Arrays.toString(whole.tokens().get("<new1>")));

        Adapter read = AdapterFiles.read(dir.resolve("whole"));
        assertArrayEquals(whole.tokens().get("<new1>"), read.tokens().get("<new1>"));
        assertEquals(6, read.keyValues().size(), "every cross-attention module of the tiny UNet");
        assertTrue(Files.readString(dir.resolve("whole").resolve(AdapterFiles.INFO)).contains("\"class\" : \"disc\""));
    }
}
