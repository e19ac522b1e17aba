package dev.inkwell.story;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A story's frames side by side, as the original's {@code story_image}, each with its frame prompt
 * written beneath it. Small frames are enlarged (nearest neighbour) so the captions can be read.
 */
public final class StoryStrip {
    private static final int MIN_FRAME = 192;
    private static final int GUTTER = 4;
    private static final int FONT_SIZE = 13;

    private StoryStrip() {}

    /** @param captions one per frame */
    public static BufferedImage of(List<BufferedImage> frames, List<String> captions) {
        if (frames.isEmpty() || frames.size() != captions.size()) {
            throw new IllegalArgumentException("a strip needs frames and one caption per frame");
        }
        int zoom = Math.max(1, (MIN_FRAME + frames.get(0).getWidth() - 1) / frames.get(0).getWidth());
        int w = frames.get(0).getWidth() * zoom;
        int h = frames.get(0).getHeight() * zoom;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, FONT_SIZE);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics metrics = pg.getFontMetrics(font);
        List<List<String>> lines = new ArrayList<>();
        int most = 1;
        for (String caption : captions) {
            List<String> wrapped = wrap(caption, metrics, w - 2 * GUTTER);
            lines.add(wrapped);
            most = Math.max(most, wrapped.size());
        }
        pg.dispose();
        int captionHeight = most * metrics.getHeight() + 2 * GUTTER;
        BufferedImage strip = new BufferedImage(frames.size() * (w + GUTTER) + GUTTER, h + captionHeight + GUTTER,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, strip.getWidth(), strip.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.BLACK);
        for (int i = 0; i < frames.size(); i++) {
            int x = GUTTER + i * (w + GUTTER);
            g.drawImage(frames.get(i), x, GUTTER, w, h, null);
            int y = GUTTER + h + GUTTER + metrics.getAscent();
            for (String line : lines.get(i)) {
                g.drawString(line, x + GUTTER, y);
                y += metrics.getHeight();
            }
        }
        g.dispose();
        return strip;
    }

    /** Greedy word wrap; a word wider than the line stands on a line of its own. */
    private static List<String> wrap(String text, FontMetrics metrics, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= width || line.isEmpty()) {
                line = new StringBuilder(candidate);
            } else {
                out.add(line.toString());
                line = new StringBuilder(word);
            }
        }
        if (!line.isEmpty()) {
            out.add(line.toString());
        }
        return out;
    }
}
