package dev.inkwell.personalize;

import static dev.inkwell.testing.Goldens.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inkwell.tensor.Torch;
import dev.inkwell.testing.Goldens;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The augmentation of the p1 golden: the original's choices give its pixels, mask and captions. */
class ResizeAugmentationTest {
    @Test
    void theOriginalsChoicesGiveItsPixelsAndMasks() {
        ResizeAugmentation augmentation = new ResizeAugmentation(64, 32, true, true);
        ResizeAugmentation.Choice[] choices = {
            new ResizeAugmentation.Choice(false, 46, 3, 7, ""),
            new ResizeAugmentation.Choice(true, 83, 8, 14, "zoomed in "),
        };
        try (Goldens.File golden = new Goldens.File("personalize-p1")) {
            byte[] raw = golden.bytes("instance_images_uint8");
            for (int b = 0; b < 2; b++) {
                BufferedImage picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                for (int i = 0; i < 64 * 64; i++) {
                    int at = (b * 64 * 64 + i) * 3;
                    picture.setRGB(i % 64, i / 64, ((raw[at] & 0xff) << 16) | ((raw[at + 1] & 0xff) << 8) | (raw[at + 2] & 0xff));
                }
                ResizeAugmentation.Sample s = augmentation.apply(picture, "a photo of a <new1> dog", choices[b]);
                assertClose(golden.tensor("pixel_values").narrow(0, b, 1), Torch.floats(s.pixels(), 1, 3, 64, 64), 1e-6,
                        "pixels of sample " + b);
                assertClose(golden.tensor("mask").narrow(0, b, 1), Torch.floats(s.mask(), 1, 1, 32, 32), 0, "mask of sample " + b);
                assertEquals(b == 0 ? "a photo of a <new1> dog" : "zoomed in a photo of a <new1> dog", s.caption());
            }
        }
    }
}
