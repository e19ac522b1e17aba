package dev.inkwell.story;

import java.util.Objects;

/**
 * How 1Prompt1Story edits a story's conditioning; {@link #defaults()} are the original's.
 *
 * @param window the most frames in one prompt (the original's {@code window_length}, 10)
 * @param windowRule how the longest window that fits is measured
 * @param svrMode which rows Singular-Value Reweighting edits
 * @param suppress the reweighting of every other frame of the window
 * @param express the reweighting of the current frame, after the suppressions
 * @param ipca whether the conditional rows also attend to the identity prompt's own encoding
 *     (Identity-Preserving Cross-Attention)
 * @param ipcaDropout the chance that a query does not see one of the identity prompt's keys, in [0, 1)
 */
public record StorySettings(int window, WindowRule windowRule, SvrMode svrMode, Reweighting suppress,
        Reweighting express, boolean ipca, double ipcaDropout) {

    public StorySettings {
        if (window < 1) {
            throw new IllegalArgumentException("the window must hold at least one frame, not " + window);
        }
        Objects.requireNonNull(windowRule, "windowRule");
        Objects.requireNonNull(svrMode, "svrMode");
        Objects.requireNonNull(suppress, "suppress");
        Objects.requireNonNull(express, "express");
        if (!(ipcaDropout >= 0 && ipcaDropout < 1)) {
            throw new IllegalArgumentException("the IPCA dropout must be in [0, 1), not " + ipcaDropout);
        }
    }

    /** The original's defaults: window 10, token rule, {@code svr}, (0.01, 0.05) and (-0.01, 1.0), IPCA on. */
    public static StorySettings defaults() {
        return new StorySettings(10, WindowRule.TOKENS, SvrMode.SVR, Reweighting.SUPPRESS, Reweighting.EXPRESS, true, 0.0);
    }

    public StorySettings withWindow(int w) {
        return new StorySettings(w, windowRule, svrMode, suppress, express, ipca, ipcaDropout);
    }

    public StorySettings withWindowRule(WindowRule r) {
        return new StorySettings(window, r, svrMode, suppress, express, ipca, ipcaDropout);
    }

    public StorySettings withSvrMode(SvrMode m) {
        return new StorySettings(window, windowRule, m, suppress, express, ipca, ipcaDropout);
    }

    public StorySettings withReweighting(Reweighting s, Reweighting e) {
        return new StorySettings(window, windowRule, svrMode, s, e, ipca, ipcaDropout);
    }

    public StorySettings withIpca(boolean on, double dropout) {
        return new StorySettings(window, windowRule, svrMode, suppress, express, on, dropout);
    }
}
