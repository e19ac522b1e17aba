package dev.inkwell.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionedSampleTest {

    @Test
    void marksTheCellsOfANamedAccessoryAndNothingElse() {
        int named = 0;
        for (CaptionedSample sample : CaptionedSample.draw(new SplittableRandom(3), 200)) {
            int marked = sum(sample.namedAccessoryCells(16));
            if (!sample.caption().namedAttributes().contains(Caption.ACCESSORY)) {
                assertEquals(0, marked, sample.caption().text());
                continue;
            }
            named++;
            // A hat, a scarf or glasses: a few cells of the 256, never the whole picture.
            assertTrue(marked >= 1 && marked <= 40, sample.caption().text() + ": " + marked + " cells");
            // The same scene and seed with the accessory taken off has nothing to mark.
            Caption bare = new Caption(sample.caption().text(), Set.of(Caption.SUBJECT, Caption.ACCESSORY));
            CaptionedSample withoutAccessory = new CaptionedSample(sample.scene().withAccessory(Accessory.NONE), bare,
                    new Renderer().render(sample.scene().withAccessory(Accessory.NONE), sample.renderSeed()),
                    sample.renderSeed());
            float[] none = withoutAccessory.namedAccessoryCells(16);
            assertEquals(0, sum(none), "a scene without an accessory has nothing to mark");
        }
        assertTrue(named > 40, "named accessories among 200 captions: " + named);
    }

    @Test
    void marksTheCellsWhereTheSubjectIsDrawn() {
        for (CaptionedSample sample : CaptionedSample.draw(new SplittableRandom(5), 50)) {
            float[] cells = sample.subjectCells(16);
            boolean[] mask = new Renderer().subjectMask(sample.scene(), sample.renderSeed());
            // Each 4x4 pixel block is marked exactly when it holds a pixel of the subject's layer.
            for (int cy = 0; cy < 16; cy++) {
                for (int cx = 0; cx < 16; cx++) {
                    boolean any = false;
                    for (int y = 4 * cy; y < 4 * cy + 4; y++) {
                        for (int x = 4 * cx; x < 4 * cx + 4; x++) {
                            any |= mask[y * 64 + x];
                        }
                    }
                    assertEquals(any ? 1f : 0f, cells[cy * 16 + cx], sample.caption().text() + " cell " + cx + "," + cy);
                }
            }
            // The subject is never absent, and leaves most of a small scene to the setting.
            int marked = sum(cells);
            assertTrue(marked >= 4 && (sample.scene().size() == Size.LARGE || marked < 128),
                    sample.caption().text() + ": " + marked + " cells");
        }
    }

    @Test
    void theRenderSeedReproducesTheImage() {
        for (CaptionedSample sample : CaptionedSample.draw(new SplittableRandom(4), 8)) {
            assertArrayEquals(sample.image().getRGB(0, 0, 64, 64, null, 0, 64),
                    new Renderer().render(sample.scene(), sample.renderSeed()).getRGB(0, 0, 64, 64, null, 0, 64));
        }
    }

    private static int sum(float[] values) {
        int s = 0;
        for (float v : values) {
            s += (int) v;
        }
        return s;
    }
}
