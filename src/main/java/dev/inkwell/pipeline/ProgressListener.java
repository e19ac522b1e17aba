package dev.inkwell.pipeline;

/** Told after every denoising step, so callers can show progress on long work. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (step, total) -> { };

    void onStep(int step, int total);
}
