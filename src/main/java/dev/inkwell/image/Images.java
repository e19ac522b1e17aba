package dev.inkwell.image;

import dev.inkwell.tensor.Torch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.Tensor;

/** Conversions between decoded tensors and images, and safe PNG writing. */
public final class Images {
    private Images() {}

    /** {@code [1, 3, H, W]} in [-1, 1] to an RGB image, clamping as the pipelines do. */
    public static BufferedImage fromTensor(Tensor image) {
        long h = image.size(2);
        long w = image.size(3);
        float[] v = Torch.toFloats(image);
        int plane = Math.toIntExact(h * w);
        BufferedImage out = new BufferedImage((int) w, (int) h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * (int) w + x;
                int rgb = (toByte(v[i]) << 16) | (toByte(v[plane + i]) << 8) | toByte(v[2 * plane + i]);
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** diffusers' {@code (x / 2 + 0.5).clamp(0, 1)}, then {@code round(x * 255)}. */
    private static int toByte(float value) {
        double unit = Math.min(1.0, Math.max(0.0, value / 2.0 + 0.5));
        return (int) Math.round(unit * 255.0);
    }

    /**
     * Writes a PNG through a temporary file in the same folder, moved into place only when
     * complete, so a failure never leaves a partial image that looks finished.
     */
    public static void writePng(BufferedImage image, Path target, boolean overwrite) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!overwrite && Files.exists(target)) {
            throw new IOException(target + " already exists (use --overwrite to replace it)");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
