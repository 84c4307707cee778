package dev.kinema.train;

import dev.kinema.data.datasets.DatasetReport;
import dev.kinema.io.AtomicFiles;
import dev.kinema.tasks.Metric;
import dev.kinema.tasks.TaskDefinition;
import dev.kinema.tasks.Validation;
import dev.kinema.viz.Html;
import dev.kinema.viz.LineChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code RUN/report.html}: a page a browser opens from disk, with the training curves
 * ({@code loss.png}; {@code accuracy.png}, the task's training and validation metrics), the last
 * validation's own section (classification: the confusion matrix and per-class recall), the best
 * epoch, the epoch table and the configuration. Rewritten after every epoch, so it also shows a
 * run in progress.
 */
public final class TrainingReport {
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";

    private TrainingReport() {}

    /** Writes the plots and the page for {@code history}; {@code validation} may be null. */
    public static void write(RunDir run, List<EpochMetrics> history, Validation validation) throws IOException {
        TaskDefinition task = run.config().taskDefinition();
        double[] epochs = new double[history.size()];
        double[] loss = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            epochs[i] = history.get(i).epoch();
            loss[i] = history.get(i).trainLoss();
        }
        LineChart.builder().setTitle("Training loss").optAxisLabels("epoch", "loss")
                .addSeries("train", epochs, loss, LineChart.PALETTE.get(0)).build()
                .writePng(run.file(LOSS_PNG));
        LineChart.Builder chart = LineChart.builder().setTitle("Metrics").optAxisLabels("epoch", "value");
        boolean fractions = true;
        int series = 0;
        for (Column c : columns(task, history)) {
            double[] y = new double[history.size()];
            for (int i = 0; i < history.size(); i++) {
                Double v = c.value.apply(history.get(i));
                y[i] = v == null ? Double.NaN : v;
            }
            fractions &= c.metric.fraction();
            chart.addSeries(c.title, epochs, y, LineChart.PALETTE.get(series++ % LineChart.PALETTE.size()));
        }
        if (fractions) {
            chart.optYRange(0, 1);
        }
        chart.build().writePng(run.file(ACCURACY_PNG));
        String validationSection = validation == null ? "" : validation.report(run.dir());
        String html = html(run, task, history, validationSection);
        AtomicFiles.write(run.file(RunDir.REPORT), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** A metric column: the task's training metrics, then its validation metrics, as the history has them. */
    private record Column(String title, Metric metric, Function<EpochMetrics, Double> value) {}

    private static List<Column> columns(TaskDefinition task, List<EpochMetrics> history) {
        Set<String> train = new LinkedHashSet<>();
        Set<String> val = new LinkedHashSet<>();
        for (EpochMetrics m : history) {
            train.addAll(m.train().keySet());
            val.addAll(m.validation().keySet());
        }
        List<Column> out = new ArrayList<>();
        for (String name : train) {
            out.add(new Column("train " + metric(task, name).label(), metric(task, name), m -> m.train(name)));
        }
        for (String name : val) {
            out.add(new Column("val " + metric(task, name).label(), metric(task, name), m -> m.validation(name)));
        }
        return out;
    }

    /** The task's metric of that name, or one that shows the name as it is. */
    private static Metric metric(TaskDefinition task, String name) {
        Metric m = task.metric(name);
        return m != null ? m : new Metric(name, name, true, false);
    }

    private static String html(RunDir run, TaskDefinition task, List<EpochMetrics> history, String validation) throws IOException {
        TrainConfig c = run.config();
        List<Column> columns = columns(task, history);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(c.model())).append(" training report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1400px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}img{margin:0.5em 1em 0.5em 0;")
                .append("border:1px solid #ddd;vertical-align:top}</style></head><body>\n");
        b.append("<h1>Training report: ").append(Html.escape(c.model())).append("</h1>\n<p>")
                .append(Html.escape(task.name())).append(" on <code>").append(Html.escape(c.data().root().toString()))
                .append("</code>, ").append(run.labels().size()).append(" labels. ")
                .append(history.size()).append(" of ").append(c.schedule().epochs()).append(" epochs done.");
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            b.append(" Last epoch: train loss ").append(f3(last.trainLoss()));
            for (Map.Entry<String, Double> e : last.train().entrySet()) {
                b.append(", train ").append(Html.escape(metric(task, e.getKey()).format(e.getValue())));
            }
            b.append(", ").append(String.format(Locale.ROOT, "%.1f", last.clipsPerSecond())).append(" training clips/s.");
            Metric best = task.validationMetric(c.bestMetric());
            Optional<EpochMetrics> bestEpoch = BestCheckpoint.best(history, best);
            bestEpoch.ifPresent(e -> b.append(" Best epoch ").append(e.epoch()).append(" by validation ")
                    .append("<b>").append(Html.escape(best.format(e.validation(best.name())))).append("</b> (")
                    .append(RunDir.BEST).append(")."));
        }
        b.append("</p>\n<h2>Curves</h2>\n<img src=\"").append(LOSS_PNG).append("\" alt=\"training loss\">")
                .append("<img src=\"").append(ACCURACY_PNG).append("\" alt=\"metrics\">\n");
        if (!validation.isEmpty()) {
            b.append("<h2>Validation</h2>\n").append(validation);
        }
        Path problems = run.file(DatasetReport.FILE);
        if (Files.isRegularFile(problems)) {
            List<String> lines = Files.readAllLines(problems, StandardCharsets.UTF_8);
            b.append("<h2>Dataset problems</h2>\n<p>").append(lines.size()).append(" annotation problems: their samples")
                    .append(" were skipped (").append(DatasetReport.FILE).append(").</p>\n<pre>")
                    .append(Html.escape(String.join("\n", lines))).append("</pre>\n");
        }
        b.append("<h2>Epochs</h2>\n<table><tr><th>epoch</th><th>lr</th><th>train loss</th>");
        for (Column col : columns) {
            b.append("<th>").append(Html.escape(col.title)).append("</th>");
        }
        b.append("<th>clips/s</th><th>seconds</th></tr>\n");
        for (EpochMetrics m : history) {
            b.append("<tr><td>").append(m.epoch()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2e", m.lr())).append("</td><td>").append(f3(m.trainLoss()))
                    .append("</td>");
            for (Column col : columns) {
                Double v = col.value.apply(m);
                b.append("<td>").append(v == null ? "" : col.metric.fraction() ? Html.percent(v) : f3(v)).append("</td>");
            }
            b.append("<td>").append(String.format(Locale.ROOT, "%.1f", m.clipsPerSecond())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", m.seconds())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Configuration</h2>\n<pre>");
        try {
            b.append(Html.escape(RunDir.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c)));
        } catch (IOException e) {
            b.append(Html.escape(c.toString()));
        }
        b.append("</pre>\n</body></html>\n");
        return b.toString();
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
