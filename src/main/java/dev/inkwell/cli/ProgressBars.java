package dev.inkwell.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one look of progress on long commands: on stderr (stdout stays for results), with rate and ETA. */
final class ProgressBars {
    private ProgressBars() {}

    /** A bar of {@code max} units named {@code unit} (e.g. " steps"). */
    static ProgressBar of(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(unit, 1).showSpeed().build();
    }
}
