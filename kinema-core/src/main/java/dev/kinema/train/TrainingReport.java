package dev.kinema.train;

import dev.kinema.eval.EvalResult;
import dev.kinema.io.AtomicFiles;
import dev.kinema.viz.ConfusionMatrixChart;
import dev.kinema.viz.LineChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code RUN/report.html}: a page a browser opens from disk, with the training curves
 * ({@code loss.png}, {@code accuracy.png}), the last validation's confusion matrix
 * ({@code confusion.png}) and per-class recall, the epoch table and the configuration.
 * Rewritten after every epoch, so it also shows a run in progress.
 */
public final class TrainingReport {
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String CONFUSION_PNG = "confusion.png";

    private TrainingReport() {}

    /** Writes the plots and the page for {@code history}; {@code validation} may be null. */
    public static void write(RunDir run, List<EpochMetrics> history, EvalResult validation) throws IOException {
        double[] epochs = new double[history.size()];
        double[] loss = new double[history.size()];
        double[] trainTop1 = new double[history.size()];
        double[] valClip = new double[history.size()];
        double[] valVideo = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            EpochMetrics m = history.get(i);
            epochs[i] = m.epoch();
            loss[i] = m.trainLoss();
            trainTop1[i] = m.trainTop1();
            valClip[i] = m.valClipTop1() == null ? Double.NaN : m.valClipTop1();
            valVideo[i] = m.valVideoTop1() == null ? Double.NaN : m.valVideoTop1();
        }
        LineChart.builder().setTitle("Training loss").optAxisLabels("epoch", "cross-entropy")
                .addSeries("train", epochs, loss, LineChart.PALETTE.get(0)).build()
                .writePng(run.file(LOSS_PNG));
        LineChart.Builder acc = LineChart.builder().setTitle("Top-1 accuracy").optAxisLabels("epoch", "accuracy")
                .optYRange(0, 1).addSeries("train clips", epochs, trainTop1, LineChart.PALETTE.get(0));
        if (validation != null || history.stream().anyMatch(m -> m.valVideoTop1() != null)) {
            acc.addSeries("val centre clip", epochs, valClip, LineChart.PALETTE.get(1))
                    .addSeries("val video (clips averaged)", epochs, valVideo, LineChart.PALETTE.get(2));
        }
        acc.build().writePng(run.file(ACCURACY_PNG));
        if (validation != null) {
            new ConfusionMatrixChart(validation.confusion(), validation.classes(),
                    "Validation confusion, epoch " + history.get(history.size() - 1).epoch())
                    .writePng(run.file(CONFUSION_PNG));
        }
        String html = html(run, history, validation);
        AtomicFiles.write(run.file(RunDir.REPORT), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static String html(RunDir run, List<EpochMetrics> history, EvalResult validation) {
        TrainConfig c = run.config();
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(c.model())).append(" training report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1400px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}img{margin:0.5em 1em 0.5em 0;")
                .append("border:1px solid #ddd;vertical-align:top}</style></head><body>\n");
        b.append("<h1>Training report: ").append(esc(c.model())).append("</h1>\n<p>Data <code>")
                .append(esc(c.data())).append("</code>, ").append(run.labels().size()).append(" classes. ")
                .append(history.size()).append(" of ").append(c.epochs()).append(" epochs done.");
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            b.append(" Last epoch: train loss ").append(f3(last.trainLoss())).append(", train top-1 ")
                    .append(pct(last.trainTop1()));
            if (last.valVideoTop1() != null) {
                b.append(", validation video top-1 <b>").append(pct(last.valVideoTop1())).append("</b> (chance ")
                        .append(pct(1.0 / run.labels().size())).append(")");
            }
            b.append(", ").append(String.format(Locale.ROOT, "%.1f", last.clipsPerSecond())).append(" training clips/s.");
        }
        b.append("</p>\n<h2>Curves</h2>\n<img src=\"").append(LOSS_PNG).append("\" alt=\"training loss\">")
                .append("<img src=\"").append(ACCURACY_PNG).append("\" alt=\"accuracy\">\n");
        if (validation != null) {
            b.append("<h2>Validation</h2>\n<p>").append(validation.videos()).append(" videos, ")
                    .append(validation.clips()).append(" clips each");
            if (validation.skipped() > 0) {
                b.append(", ").append(validation.skipped()).append(" unreadable videos skipped");
            }
            b.append(". Video top-1 ").append(pct(validation.videoTop1())).append(", top-5 ")
                    .append(pct(validation.videoTop5())).append("; centre clip top-1 ").append(pct(validation.clipTop1()))
                    .append("; mean class accuracy ").append(pct(validation.meanClassAccuracy())).append(".</p>\n");
            b.append("<img src=\"").append(CONFUSION_PNG).append("\" alt=\"confusion matrix\">\n");
            b.append("<table><tr><th class=\"l\">class</th><th>videos</th><th>recall</th></tr>\n");
            for (int t = 0; t < validation.classes().size(); t++) {
                int total = 0;
                for (int n : validation.confusion()[t]) {
                    total += n;
                }
                b.append("<tr><td class=\"l\">").append(esc(validation.classes().get(t))).append("</td><td>")
                        .append(total).append("</td><td>")
                        .append(total == 0 ? "" : pct((double) validation.confusion()[t][t] / total)).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<h2>Epochs</h2>\n<table><tr><th>epoch</th><th>lr</th><th>train loss</th><th>train top-1</th>")
                .append("<th>val clip top-1</th><th>val video top-1</th><th>val video top-5</th>")
                .append("<th>val mean class acc.</th><th>clips/s</th><th>seconds</th></tr>\n");
        for (EpochMetrics m : history) {
            b.append("<tr><td>").append(m.epoch()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2e", m.lr())).append("</td><td>").append(f3(m.trainLoss()))
                    .append("</td><td>").append(pct(m.trainTop1())).append("</td><td>").append(pct(m.valClipTop1()))
                    .append("</td><td>").append(pct(m.valVideoTop1())).append("</td><td>").append(pct(m.valVideoTop5()))
                    .append("</td><td>").append(pct(m.valMeanClassAccuracy())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", m.clipsPerSecond())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", m.seconds())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Configuration</h2>\n<pre>");
        try {
            b.append(esc(RunDir.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c)));
        } catch (IOException e) {
            b.append(esc(c.toString()));
        }
        b.append("</pre>\n</body></html>\n");
        return b.toString();
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
