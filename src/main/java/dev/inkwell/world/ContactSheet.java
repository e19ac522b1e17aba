package dev.inkwell.world;

import dev.inkwell.image.Images;
import dev.inkwell.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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

    private static final int GUTTER = 2;

    private ContactSheet() {}

    /**
     * Samples {@code columns * rows} scenes from {@code seed}, renders each at {@code zoom} times the
     * renderer's size (nearest neighbour) and returns the captions in row-major order.
     */
    public static List<String> write(Path png, long seed, int columns, int rows, int zoom) {
        SceneSampler sampler = new SceneSampler(seed);
        Captioner captioner = new Captioner(seed);
        Renderer renderer = new Renderer();
        int cell = renderer.size() * zoom;
        BufferedImage sheet = new BufferedImage(columns * (cell + GUTTER) + GUTTER, rows * (cell + GUTTER) + GUTTER,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < columns * rows; i++) {
            Scene scene = sampler.next();
            captions.add((i + 1) + ": " + captioner.caption(scene).text() + "   [" + scene + "]");
            int x = GUTTER + (i % columns) * (cell + GUTTER);
            int y = GUTTER + (i / columns) * (cell + GUTTER);
            g.drawImage(renderer.render(scene, seed + i), x, y, cell, cell, null);
        }
        g.dispose();
        try {
            Images.writePng(sheet, png, true, Map.of());
            String name = png.getFileName().toString().replaceFirst("\\.png$", "") + ".txt";
            AtomicFiles.write(png.resolveSibling(name), true, file -> Files.write(file, captions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return captions;
    }
}
