package dev.inkwell.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLogTest {

    @Test
    void resumedStageReplacesTheRowsAfterItsCheckpointAndThePlotHasOneChartPerStage(@TempDir Path dir) throws Exception {
        LossLog log = new LossLog(dir);
        for (long step = 10; step <= 40; step += 10) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("mse", 1.0 / step);
            values.put("grad", 2.0);
            log.append("unet", step, values);
        }
        log.append("vae", 10, Map.of("L1", 0.5));
        log.truncate("unet", 20);
        log.append("unet", 30, Map.of("mse", 0.01));
        List<String> lines = Files.readAllLines(dir.resolve("losses.csv"));
        assertEquals(List.of("stage,step,name,value", "unet,10,mse,0.100000", "unet,10,grad,2.00000",
                "unet,20,mse,0.0500000", "unet,20,grad,2.00000", "vae,10,L1,0.500000", "unet,30,mse,0.0100000"), lines);
        log.plot();
        var image = ImageIO.read(dir.resolve("losses.png").toFile());
        assertEquals(2 * 260, image.getHeight());
        assertTrue(image.getWidth() > 0);
    }
}
