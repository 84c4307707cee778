package dev.kinema.cli;

import dev.kinema.eval.EvalResult;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/** Training progress: a bar per epoch and per validation on stderr, one summary line per epoch on stdout. */
final class TrainProgress implements TrainingListener {
    private final PrintWriter out;
    private final int epochs;
    private ProgressBar bar;

    TrainProgress(PrintWriter out, int epochs) {
        this.out = out;
        this.epochs = epochs;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        bar = start(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batches, "");
    }

    @Override
    public void batchFinished(BatchProgress p) {
        bar.stepTo(p.batch());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.1f%% %.0f clips/s", p.loss(), 100 * p.top1(),
                p.clipsPerSecond()));
    }

    @Override
    public void validationStarted(int videos) {
        finish();
        bar = start("val", videos, " videos");
    }

    @Override
    public void validationProgress(int done) {
        bar.stepTo(done);
    }

    @Override
    public void epochFinished(EpochMetrics m, EvalResult validation) {
        finish();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d: loss %.3f, train top-1 %.1f%%", m.epoch(), epochs, m.trainLoss(), 100 * m.trainTop1()));
        if (validation != null) {
            line.append(String.format(Locale.ROOT, ", val video top-1 %.1f%% (centre clip %.1f%%)",
                    100 * validation.videoTop1(), 100 * validation.clipTop1()));
        }
        line.append(String.format(Locale.ROOT, ", lr %.2e, %.1f clips/s, %.1f s", m.lr(), m.clipsPerSecond(),
                m.seconds()));
        out.println(line);
        out.flush();
    }

    /** Closes the current bar, if any (also when training fails midway). */
    void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static ProgressBar start(String task, int max, String unit) {
        return ProgressBars.builder(task, max, unit).continuousUpdate().build();
    }
}
