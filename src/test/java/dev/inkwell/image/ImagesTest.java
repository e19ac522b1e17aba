package dev.inkwell.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inkwell.tensor.Torch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @Test
    void pixelsRoundTripThroughTheVaeRange() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0080);
        image.setRGB(2, 1, 0x00FF01);
        BufferedImage back = Images.fromTensor(Images.toTensor(image));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(image.getRGB(x, y), back.getRGB(x, y));
            }
        }
        float[] v = Torch.toFloats(Images.toTensor(image));
        assertEquals(1f, v[0], 1e-6);
        assertEquals(-1f, v[6], 1e-6);
    }

    @Test
    void aBatchConvertsImageByImage() {
        BufferedImage red = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        BufferedImage blue = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        red.setRGB(1, 0, 0xFF0000);
        blue.setRGB(0, 1, 0x0000FF);
        BufferedImage[] back = Images.fromBatch(Images.toTensor(red, blue));
        assertEquals(2, back.length);
        assertEquals(0xFF0000, back[0].getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0, back[0].getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x0000FF, back[1].getRGB(0, 1) & 0xFFFFFF);
        assertThrows(IllegalArgumentException.class, () -> Images.fromTensor(Images.toTensor(red, blue)));
    }

    @Test
    void pngKeepsAutomatic1111ParametersAndNeverOverwritesByDefault(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.png");
        String info = "a café, (red:1.2) fox\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 8x8, Model: m";
        Images.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), file, false, Map.of("parameters", info));
        assertEquals(info, Images.readPngText(file).get("parameters"));
        String unicode = "一只猫 🐱";
        Images.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), file, true, Map.of("parameters", unicode));
        assertEquals(unicode, Images.readPngText(file).get("parameters"));
        assertThrows(IOException.class, () -> Images.writePng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), file, false, Map.of()));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")));
        }
    }
}
