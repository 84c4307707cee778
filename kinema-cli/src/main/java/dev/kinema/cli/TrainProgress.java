package dev.kinema.cli;

import dev.kinema.data.datasets.DatasetReport;
import dev.kinema.tasks.Metric;
import dev.kinema.tasks.TaskDefinition;
import dev.kinema.tasks.TrainingTasks;
import dev.kinema.tasks.Validation;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * Training progress: a bar per epoch and per validation on stderr, one summary line per epoch on
 * stdout with the task's metrics: the training ones, then the headline validation metric (the one
 * the best checkpoint follows) with the others in brackets.
 */
final class TrainProgress implements TrainingListener {
    private final PrintWriter out;
    private final int epochs;
    private final TaskDefinition task;
    private final Metric headline;
    private ProgressBar bar;

    TrainProgress(PrintWriter out, int epochs, TaskDefinition task, Metric headline) {
        this.out = out;
        this.epochs = epochs;
        this.task = task;
        this.headline = headline;
    }

    /** Progress of a classification run. */
    TrainProgress(PrintWriter out, int epochs) {
        this(out, epochs, TrainingTasks.get(TrainingTasks.DEFAULT),
                TrainingTasks.get(TrainingTasks.DEFAULT).validationMetric(null));
    }

    @Override
    public void datasetProblems(DatasetReport report, Path list) {
        out.println("kinema: " + report.summary() + "; see " + list + " (--strict makes them fatal)");
        out.flush();
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        bar = start(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), batches, "");
    }

    @Override
    public void batchFinished(BatchProgress p) {
        bar.stepTo(p.batch());
        StringBuilder message = new StringBuilder(String.format(Locale.ROOT, "loss %.3f", p.loss()));
        for (Map.Entry<String, Double> e : p.metrics().entrySet()) {
            message.append(' ').append(format(e.getKey(), e.getValue()));
        }
        bar.setExtraMessage(message.append(String.format(Locale.ROOT, " %.0f clips/s", p.clipsPerSecond())).toString());
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
    public void epochFinished(EpochMetrics m, Validation validation) {
        finish();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: loss %.3f", m.epoch(), epochs,
                m.trainLoss()));
        for (Map.Entry<String, Double> e : m.train().entrySet()) {
            line.append(", train ").append(format(e.getKey(), e.getValue()));
        }
        Double headlineValue = m.validation(headline.name());
        if (headlineValue != null) {
            line.append(", val ").append(headline.format(headlineValue));
            // The other validation metrics in brackets, none when the headline is the only one (pretraining's loss).
            List<String> others = new ArrayList<>();
            for (Map.Entry<String, Double> e : m.validation().entrySet()) {
                if (!e.getKey().equals(headline.name())) {
                    others.add(format(e.getKey(), e.getValue()));
                }
            }
            if (!others.isEmpty()) {
                line.append(" (").append(String.join(", ", others)).append(')');
            }
        }
        line.append(String.format(Locale.ROOT, ", lr %.2e, %.1f clips/s, %.1f s", m.lr(), m.clipsPerSecond(),
                m.seconds()));
        // Training time is clips over clips/s: the loop's own time, validation excluded.
        double trainingSeconds = m.clipsPerSecond() > 0 ? m.trainClips() / m.clipsPerSecond() : 0;
        line.append(String.format(Locale.ROOT, ", loader wait %.1f s (%.0f%%)", m.loaderWaitSeconds(),
                trainingSeconds > 0 ? 100 * m.loaderWaitSeconds() / trainingSeconds : 0));
        if (m.modelGflopPerSecond() > 0) {
            line.append(String.format(Locale.ROOT, ", %.1f GFLOP/s", m.modelGflopPerSecond()));
        }
        out.println(line);
        out.flush();
    }

    /** A metric of the task as people read it; an unknown one by its name. */
    private String format(String name, double value) {
        Metric metric = task.metric(name);
        return metric != null ? metric.format(value) : String.format(Locale.ROOT, "%s %.4g", name, value);
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
