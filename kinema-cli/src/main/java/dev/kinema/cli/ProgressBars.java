package dev.kinema.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Every command's progress bar, on standard error: a live bar on a terminal, and plain lines (one
 * every {@value #PLAIN_INTERVAL_MS} ms, and the last state) when the output goes to a file or a
 * pipe, where a redrawn bar would write thousands of carriage-return updates into a log.
 */
final class ProgressBars {
    static final long PLAIN_INTERVAL_MS = 10_000;

    private ProgressBars() {}

    static ProgressBarBuilder builder(String task, long max, String unit) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, 1);
        if (System.console() != null) {
            return b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250);
        }
        return b.setStyle(ProgressBarStyle.ASCII).setConsumer(new PlainLines(System.err))
                .setUpdateIntervalMillis((int) PLAIN_INTERVAL_MS);
    }

    /** Prints each rendered state as its own line, without terminal control codes or repeats. */
    static final class PlainLines implements ProgressBarConsumer {
        private final PrintStream out;
        private String last = "";

        PlainLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return 120;
        }

        @Override
        public void accept(String rendered) {
            String line = rendered.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").replace("\r", "").strip();
            if (!line.isEmpty() && !line.equals(last)) {
                out.println(line);
                last = line;
            }
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
