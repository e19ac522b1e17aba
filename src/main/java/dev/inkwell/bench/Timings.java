package dev.inkwell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Seconds of repeated runs, and the process's peak memory when they ended. */
public record Timings(double[] seconds, long peakRssBytes) {

    public double median() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(seconds).min().orElse(Double.NaN);
    }

    public double peakRssGiB() {
        return peakRssBytes / (double) (1L << 30);
    }

    /** The process's peak resident memory (VmHWM), which includes native tensors; -1 off Linux. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: unknown.
        }
        return -1;
    }
}
