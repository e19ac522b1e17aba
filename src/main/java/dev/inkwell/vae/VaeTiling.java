package dev.inkwell.vae;

import dev.inkwell.tensor.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Decodes large latents in overlapping tiles so the decoder's full-resolution activations never
 * need to exist at once. Tiles overlap by a quarter of their size and are blended with linear
 * ramps across each overlap, which hides the seams the per-tile GroupNorm statistics leave.
 */
public final class VaeTiling {
    /** Tile side in latents: 512 px for SD's VAE, the size it was trained on. */
    public static final int TILE = 64;
    public static final int OVERLAP = 16;
    /** Full-resolution tensors the decoder keeps alive at its peak, a generous estimate. */
    private static final long LIVE_TENSORS = 8;

    private VaeTiling() {}

    /** Decodes pipeline latents {@code [1, C, h, w]}, tiling only when a whole decode would not fit in memory. */
    public static Tensor toImage(AutoencoderKL vae, Tensor latents) {
        long pixels = latents.size(2) * latents.size(3) * (long) vae.config().downscale() * vae.config().downscale();
        long needed = pixels * vae.config().blockOutChannels()[0] * 4L * LIVE_TENSORS;
        boolean fits = needed < availableMemory() / 2 || latents.size(2) <= TILE && latents.size(3) <= TILE;
        return fits ? vae.toImage(latents) : toImageTiled(vae, latents, TILE, OVERLAP);
    }

    /** Decodes pipeline latents {@code [1, C, h, w]} in tiles of {@code tile} latents overlapping by {@code overlap}. */
    public static Tensor toImageTiled(AutoencoderKL vae, Tensor latents, int tile, int overlap) {
        if (overlap < 0 || overlap >= tile) {
            throw new IllegalArgumentException("overlap must be in [0, tile)");
        }
        int s = vae.config().downscale();
        int h = Math.toIntExact(latents.size(2));
        int w = Math.toIntExact(latents.size(3));
        int channels = vae.config().outChannels();
        int height = h * s;
        int width = w * s;
        float[] sum = new float[channels * height * width];
        float[] weight = new float[height * width];
        for (int top : starts(h, tile, overlap)) {
            for (int left : starts(w, tile, overlap)) {
                int th = Math.min(tile, h);
                int tw = Math.min(tile, w);
                float[] pixels;
                try (PointerScope scope = new PointerScope()) {
                    Tensor part = latents.narrow(2, top, th).narrow(3, left, tw);
                    pixels = Torch.toFloats(vae.toImage(part));
                }
                float[] wy = ramp(th * s, overlap * s, top > 0, top + th < h);
                float[] wx = ramp(tw * s, overlap * s, left > 0, left + tw < w);
                for (int y = 0; y < th * s; y++) {
                    for (int x = 0; x < tw * s; x++) {
                        float k = wy[y] * wx[x];
                        int at = (top * s + y) * width + left * s + x;
                        weight[at] += k;
                        for (int c = 0; c < channels; c++) {
                            sum[c * height * width + at] += k * pixels[(c * th * s + y) * tw * s + x];
                        }
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < weight.length; i++) {
                sum[c * weight.length + i] /= weight[i];
            }
        }
        return Torch.floats(sum, 1, channels, height, width);
    }

    /** Tile starts covering {@code size}, the last one flush with the end. */
    static int[] starts(int size, int tile, int overlap) {
        if (size <= tile) {
            return new int[] {0};
        }
        int stride = tile - overlap;
        int count = (size - tile + stride - 1) / stride + 1;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = Math.min(i * stride, size - tile);
        }
        return out;
    }

    /** 1 inside the tile, rising linearly across the overlap on each side that has a neighbour. */
    private static float[] ramp(int length, int overlap, boolean before, boolean after) {
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            float v = 1f;
            if (before && i < overlap) {
                v = Math.min(v, (i + 1f) / (overlap + 1f));
            }
            if (after && i >= length - overlap) {
                v = Math.min(v, (length - i) / (overlap + 1f));
            }
            r[i] = v;
        }
        return r;
    }

    private static long availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: fall through to the JVM's own view.
        }
        return Runtime.getRuntime().maxMemory();
    }
}
