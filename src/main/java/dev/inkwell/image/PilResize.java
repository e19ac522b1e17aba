package dev.inkwell.image;

import java.awt.image.BufferedImage;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for RGB images, to the byte: a separable
 * triangle filter whose support widens with the reduction (so downscaling averages, as an
 * antialiasing filter), weights in 22-bit fixed point, a horizontal pass then a vertical one, each
 * rounded to 8 bits. Training pipelines written with Pillow (diffusers' scripts) resize this way.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    /** {@code image} resized to {@code width x height}. */
    public static BufferedImage bilinear(BufferedImage image, int width, int height) {
        int inW = image.getWidth();
        int inH = image.getHeight();
        int[] rgb = image.getRGB(0, 0, inW, inH, null, 0, inW);
        int[][] planes = new int[3][inW * inH];
        for (int i = 0; i < rgb.length; i++) {
            planes[0][i] = (rgb[i] >> 16) & 0xff;
            planes[1][i] = (rgb[i] >> 8) & 0xff;
            planes[2][i] = rgb[i] & 0xff;
        }
        int w = inW;
        if (width != inW) {
            Coefficients c = coefficients(inW, width);
            for (int p = 0; p < 3; p++) {
                planes[p] = pass(planes[p], inW, inH, c, true);
            }
            w = width;
        }
        if (height != inH) {
            Coefficients c = coefficients(inH, height);
            for (int p = 0; p < 3; p++) {
                planes[p] = pass(planes[p], w, inH, c, false);
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[width * height];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (planes[0][i] << 16) | (planes[1][i] << 8) | planes[2][i];
        }
        out.setRGB(0, 0, width, height, pixels, 0, width);
        return out;
    }

    /** Per output index: the first input index, how many inputs, and their fixed-point weights. */
    private record Coefficients(int[] first, int[] count, int[] weights, int kernel) {}

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(1.0, scale);
        double support = filterScale; // the triangle filter's support is 1
        int kernel = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * kernel];
        double[] k = new double[kernel];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) / filterScale);
                k[x] = t < 1 ? 1 - t : 0;
                sum += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = sum != 0 ? k[x] / sum : k[x];
                weights[xx * kernel + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(first, count, weights, kernel);
    }

    /** One pass along rows ({@code horizontal}) or columns of a {@code w x h} plane. */
    private static int[] pass(int[] in, int w, int h, Coefficients c, boolean horizontal) {
        int outW = horizontal ? c.first().length : w;
        int outH = horizontal ? h : c.first().length;
        int[] out = new int[outW * outH];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = horizontal ? x : y;
                long acc = 1L << (PRECISION_BITS - 1);
                for (int j = 0; j < c.count()[o]; j++) {
                    int src = horizontal ? in[y * w + c.first()[o] + j] : in[(c.first()[o] + j) * w + x];
                    acc += (long) src * c.weights()[o * c.kernel() + j];
                }
                out[y * outW + x] = (int) Math.max(0, Math.min(255, acc >> PRECISION_BITS));
            }
        }
        return out;
    }
}
