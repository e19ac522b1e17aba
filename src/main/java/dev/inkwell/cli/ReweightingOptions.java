package dev.inkwell.cli;

import dev.inkwell.story.Reweighting;
import picocli.CommandLine.Option;

/** Singular-Value Reweighting's strengths, shared by the commands that tell stories. */
final class ReweightingOptions {
    @Option(names = "--alpha-suppress", defaultValue = "0.01", description = "SVR alpha for the other frames (default: ${DEFAULT-VALUE}).")
    double alphaSuppress;

    @Option(names = "--beta-suppress", defaultValue = "0.05", description = "SVR beta for the other frames (default: ${DEFAULT-VALUE}).")
    double betaSuppress;

    @Option(names = "--alpha-express", defaultValue = "-0.01", description = "SVR alpha for the current frame (default: ${DEFAULT-VALUE}).")
    double alphaExpress;

    @Option(names = "--beta-express", defaultValue = "1.0", description = "SVR beta for the current frame (default: ${DEFAULT-VALUE}).")
    double betaExpress;

    Reweighting suppress() {
        return new Reweighting(alphaSuppress, betaSuppress);
    }

    Reweighting express() {
        return new Reweighting(alphaExpress, betaExpress);
    }
}
