package dev.inkwell.world;

import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a grid of sampled scenes as a PNG plus a text file with one caption per cell, so people can
 * eyeball the world. The text file sits next to the PNG with ".txt" in place of ".png".
 */
public final class ContactSheet {

    private ContactSheet() {}

    /**
     * Samples {@code columns * rows} scenes from {@code seed}, renders each at {@code zoom} times the
     * renderer's size (nearest neighbour) and returns the captions in row-major order.
     *
     * @param overwrite whether the sheet and its {@link #captions captions file} may replace existing files
     */
    public static List<String> write(Path png, long seed, int columns, int rows, int zoom, boolean overwrite) {
        SceneSampler sampler = new SceneSampler(seed);
        Captioner captioner = new Captioner(seed);
        Renderer renderer = new Renderer();
        List<String> captions = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < columns * rows; i++) {
            Scene scene = sampler.next();
            captions.add((i + 1) + ": " + captioner.caption(scene).text() + "   [" + scene + "]");
            images.add(renderer.render(scene, seed + i));
        }
        BufferedImage sheet = Images.grid(images, columns, zoom);
        try {
            Images.writePng(sheet, png, overwrite, Map.of());
            AtomicFiles.write(captions(png), overwrite, file -> Files.write(file, captions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return captions;
    }

    /** The captions file of sheet {@code png}: its name with ".txt" in place of ".png". */
    public static Path captions(Path png) {
        return png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + ".txt");
    }
}
