package dev.inkwell.personalize;

import dev.inkwell.image.Images;
import dev.inkwell.image.PilResize;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Custom Diffusion's augmentation, as its dataset draws it: an optional horizontal flip; then with
 * probability 0.66 the picture shrunk to a random side in [size/3, size] on a canvas of zeros (mid
 * grey in [-1, 1], as the original fills it after normalizing), else
 * enlarged to [1.2, 1.4) x size and cropped; a mask of the valid latent cells (inset by one cell on
 * each side, as the original); and a caption prefix saying how far the subject is.
 */
public final class ResizeAugmentation {

    /**
     * What was drawn for one picture.
     *
     * @param scale the side the picture is resized to
     * @param top where it sits on the canvas (or where the crop starts when it is larger)
     * @param prefix the caption's prefix ("a far away ", "zoomed in ", ...) or ""
     */
    public record Choice(boolean flipped, int scale, int top, int left, String prefix) {}

    /** A picture ready to train on: pixels {@code [3, size, size]} in [-1, 1], row-major, and its latent mask. */
    public record Sample(float[] pixels, float[] mask, String caption) {}

    private final int size;
    private final int maskSize;
    private final boolean flip;
    private final boolean resize;

    /**
     * @param size the training resolution
     * @param maskSize the latent side ({@code size / vae scale})
     * @param flip whether pictures are flipped half of the time ({@code --hflip})
     * @param resize whether the random rescale applies (off: every picture at {@code size})
     */
    public ResizeAugmentation(int size, int maskSize, boolean flip, boolean resize) {
        this.size = size;
        this.maskSize = maskSize;
        this.flip = flip;
        this.resize = resize;
    }

    /** Draws the choices for one picture. */
    public Choice draw(SplittableRandom random) {
        boolean flipped = flip && random.nextDouble() < 0.5;
        int scale = size;
        if (resize) {
            scale = random.nextDouble() < 0.66 ? random.nextInt(size / 3, size + 1)
                    : random.nextInt((int) (1.2 * size), (int) (1.4 * size));
        }
        int room = Math.abs(scale - size) + 1;
        int top = random.nextInt(room);
        int left = random.nextInt(room);
        String prefix = "";
        if (scale < 0.6 * size) {
            prefix = random.nextBoolean() ? "a far away " : "very small ";
        } else if (scale > size) {
            prefix = random.nextBoolean() ? "zoomed in " : "close up ";
        }
        return new Choice(flipped, scale, top, left, prefix);
    }

    /** Applies {@code choice} to a picture captioned {@code caption}. */
    public Sample apply(BufferedImage picture, String caption, Choice choice) {
        BufferedImage image = choice.flipped() ? mirrored(picture) : picture;
        int scale = choice.scale();
        int[] rgb = PilResize.bilinear(image, scale, scale).getRGB(0, 0, scale, scale, null, 0, scale);
        int plane = size * size;
        float[] pixels = new float[3 * plane];
        float[] mask = new float[maskSize * maskSize];
        int factor = size / maskSize;
        if (scale > size) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    Images.putPixel(pixels, plane, y * size + x, rgb[(choice.top() + y) * scale + choice.left() + x]);
                }
            }
            java.util.Arrays.fill(mask, 1f);
        } else {
            for (int y = 0; y < scale; y++) {
                for (int x = 0; x < scale; x++) {
                    Images.putPixel(pixels, plane, (choice.top() + y) * size + choice.left() + x, rgb[y * scale + x]);
                }
            }
            for (int y = choice.top() / factor + 1; y < (choice.top() + scale) / factor - 1; y++) {
                for (int x = choice.left() / factor + 1; x < (choice.left() + scale) / factor - 1; x++) {
                    mask[y * maskSize + x] = 1f;
                }
            }
        }
        return new Sample(pixels, mask, choice.prefix() + caption);
    }

    /**
     * A prior-preservation class picture as the original's plain transforms take it: the flip, the
     * shorter side resized to {@code size}, a random square crop; every latent cell valid.
     */
    public Sample plain(BufferedImage picture, String caption, SplittableRandom random) {
        BufferedImage image = flip && random.nextDouble() < 0.5 ? mirrored(picture) : picture;
        int w = image.getWidth();
        int h = image.getHeight();
        int rw = w <= h ? size : (int) ((long) size * w / h);
        int rh = w <= h ? (int) ((long) size * h / w) : size;
        int left = random.nextInt(rw - size + 1);
        int top = random.nextInt(rh - size + 1);
        int[] rgb = PilResize.bilinear(image, rw, rh).getRGB(left, top, size, size, null, 0, size);
        int plane = size * size;
        float[] pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            Images.putPixel(pixels, plane, i, rgb[i]);
        }
        float[] mask = new float[maskSize * maskSize];
        java.util.Arrays.fill(mask, 1f);
        return new Sample(pixels, mask, caption);
    }

    private static BufferedImage mirrored(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }
}
