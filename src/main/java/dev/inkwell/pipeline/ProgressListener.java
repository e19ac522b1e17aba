package dev.inkwell.pipeline;

/** Told as long work advances (after every denoising step, or every batch of an evaluation), so callers can show progress. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (step, total) -> { };

    void onStep(int step, int total);
}
