package dev.inkwell.pipeline;

import java.lang.management.ManagementFactory;

/**
 * How many images of a request to denoise together. Memory grows with the UNet rows of a
 * sub-batch (images times guidance branches) and the latent cells of each; the estimate is
 * deliberately generous, what a Stable Diffusion 1.5-sized UNet and VAE hold per latent cell and
 * row at their peak, so that the default sub-batch leaves room on the machine.
 */
public final class BatchMemory {
    /** Peak bytes per latent cell and UNet row, SD 1.5-sized, with room to spare. */
    static final long BYTES_PER_CELL_ROW = 256 * 1024;
    /** The share of the machine's memory a default sub-batch may take. */
    private static final int SHARE = 4;
    /** More images at once gain nothing in speed on a CPU and delay the first written image. */
    private static final int MOST = 64;

    private BatchMemory() {}

    /** The estimated peak bytes of one image of {@code request} (its size resolved). */
    public static long imageBytes(GenerationRequest request) {
        long cells = (long) (request.width() / 8) * (request.height() / 8);
        return cells * Guidance.of(request).branches().size() * BYTES_PER_CELL_ROW;
    }

    /** The default sub-batch: as many images as fit in a quarter of {@code memory}, from 1 to 64. */
    public static int defaultMaxBatch(GenerationRequest request, long memory) {
        return (int) Math.max(1, Math.min(MOST, memory / SHARE / imageBytes(request)));
    }

    /** Refuses a request of which even one image would need more than the machine's {@code memory}. */
    public static void checkFits(GenerationRequest request, long memory) {
        long need = imageBytes(request);
        if (need > memory) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "a %dx%d image needs about %.1f GiB here, more than this machine's %.1f GiB; choose a smaller size",
                    request.width(), request.height(), need / GIB, memory / GIB));
        }
    }

    /** The machine's physical memory in bytes. */
    public static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }

    private static final double GIB = 1024.0 * 1024 * 1024;
}
