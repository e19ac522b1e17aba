package dev.inkwell.train;

import dev.inkwell.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curves of a training run: {@code losses.csv} ({@code stage,step,name,value}, one row per
 * logged value) that every stage appends to, and {@code losses.png}, one chart per stage, redrawn
 * from it at every checkpoint.
 */
public final class LossLog {
    private static final String HEADER = "stage,step,name,value";

    private final Path file;
    private final Path png;

    /** The log of the run whose output folder is {@code folder}. */
    public LossLog(Path folder) {
        this.file = folder.resolve("losses.csv");
        this.png = folder.resolve("losses.png");
    }

    /** One row per value; {@code values} keep their order. */
    public synchronized void append(String stage, long step, Map<String, Double> values) {
        StringBuilder rows = new StringBuilder();
        values.forEach((name, value) -> rows.append(String.format(Locale.ROOT, "%s,%d,%s,%.6g%n", stage, step, name, value)));
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, HEADER + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            Files.writeString(file, rows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot append losses: " + e.getMessage(), e);
        }
    }

    /**
     * Drops the rows of {@code stage} after {@code step}: a resumed stage logs those steps again, from
     * the checkpoint's state, and the curve must not show both.
     */
    public synchronized void truncate(String stage, long step) {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines()) {
            String[] f = line.split(",");
            if (line.equals(HEADER) || !f[0].equals(stage) || Long.parseLong(f[1]) <= step) {
                kept.add(line);
            }
        }
        try {
            Files.write(file, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot rewrite losses: " + e.getMessage(), e);
        }
    }

    /** Draws every stage's curves (log scale), one chart per stage stacked vertically, into {@code losses.png}. */
    public synchronized void plot() {
        Map<String, Map<String, List<double[]>>> stages = new LinkedHashMap<>();
        for (String line : lines()) {
            if (line.equals(HEADER)) {
                continue;
            }
            String[] f = line.split(",");
            stages.computeIfAbsent(f[0], s -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], n -> new ArrayList<>())
                    .add(new double[] {Long.parseLong(f[1]), Double.parseDouble(f[3])});
        }
        if (stages.isEmpty()) {
            return;
        }
        int width = 800;
        int height = 260;
        BufferedImage sheet = new BufferedImage(width, height * stages.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        int row = 0;
        for (Map.Entry<String, Map<String, List<double[]>>> stage : stages.entrySet()) {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(stage.getKey())
                    .xAxisTitle("step").build();
            chart.getStyler().setYAxisLogarithmic(true);
            // Every stage's axis starts at step 0; without thousands separators XChart's 4-digit step
            // labels do not run into each other.
            chart.getStyler().setXAxisMin(0.0).setXAxisDecimalPattern("0");
            stage.getValue().forEach((name, points) -> {
                double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] y = points.stream().mapToDouble(p -> Math.max(p[1], 1e-9)).toArray();
                chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
            });
            g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, row++ * height, null);
        }
        g.dispose();
        try {
            AtomicFiles.write(png, true, target -> ImageIO.write(sheet, "png", target.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write the loss plot: " + e.getMessage(), e);
        }
    }

    /** The log's lines; none before the first losses are appended. */
    private List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read losses: " + e.getMessage(), e);
        }
    }
}
