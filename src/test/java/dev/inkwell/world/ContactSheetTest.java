package dev.inkwell.world;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {

    @Test
    void writesGridAndCaptions(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sheet.png");
        List<String> captions = ContactSheet.write(png, 1, 4, 3, 1, false);
        BufferedImage sheet = ImageIO.read(png.toFile());
        assertEquals(4 * 66 + 2, sheet.getWidth());
        assertEquals(3 * 66 + 2, sheet.getHeight());
        assertEquals(12, captions.size());
        assertEquals(captions, Files.readAllLines(dir.resolve("sheet.txt")));
    }
}
