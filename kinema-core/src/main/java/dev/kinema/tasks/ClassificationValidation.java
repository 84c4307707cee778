package dev.kinema.tasks;

import dev.kinema.eval.EvalResult;
import dev.kinema.viz.ConfusionMatrixChart;
import dev.kinema.viz.Html;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A classification validation: {@link dev.kinema.eval.Evaluator}'s result, whose metrics a run
 * records as {@code val_clip_top1}, {@code val_video_top1}, {@code val_video_top5} and
 * {@code val_mean_class_accuracy} (the keys of {@code metrics.jsonl} before tasks existed), and
 * whose report section is the confusion matrix and the recall of each class.
 *
 * @param result the evaluation of the validation split
 */
public record ClassificationValidation(EvalResult result) implements Validation {
    public static final String CLIP_TOP1 = "clip_top1";
    public static final String VIDEO_TOP1 = "video_top1";
    public static final String VIDEO_TOP5 = "video_top5";
    public static final String MEAN_CLASS_ACCURACY = "mean_class_accuracy";
    /** The picture of the confusion matrix in the run directory. */
    public static final String CONFUSION_PNG = "confusion.png";

    public ClassificationValidation {
        Objects.requireNonNull(result, "result");
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(CLIP_TOP1, result.clipTop1());
        out.put(VIDEO_TOP1, result.videoTop1());
        out.put(VIDEO_TOP5, result.videoTop5());
        out.put(MEAN_CLASS_ACCURACY, result.meanClassAccuracy());
        return out;
    }

    @Override
    public String report(Path dir) throws IOException {
        new ConfusionMatrixChart(result.confusion(), result.classes(), "Validation confusion")
                .writePng(dir.resolve(CONFUSION_PNG));
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(result.videos()).append(" videos, ").append(result.clips()).append(" clips each");
        if (result.skipped() > 0) {
            b.append(", ").append(result.skipped()).append(" unreadable videos skipped");
        }
        b.append(". Video top-1 ").append(Html.percent(result.videoTop1())).append(" (chance ")
                .append(Html.percent(1.0 / result.classes().size())).append("), top-5 ")
                .append(Html.percent(result.videoTop5())).append("; centre clip top-1 ")
                .append(Html.percent(result.clipTop1())).append("; mean class accuracy ")
                .append(Html.percent(result.meanClassAccuracy())).append(".</p>\n");
        b.append("<img src=\"").append(CONFUSION_PNG).append("\" alt=\"confusion matrix\">\n");
        b.append("<table><tr><th class=\"l\">class</th><th>videos</th><th>recall</th></tr>\n");
        for (int t = 0; t < result.classes().size(); t++) {
            int total = 0;
            for (int n : result.confusion()[t]) {
                total += n;
            }
            b.append("<tr><td class=\"l\">").append(Html.escape(result.classes().get(t))).append("</td><td>")
                    .append(total).append("</td><td>")
                    .append(total == 0 ? "" : Html.percent((double) result.confusion()[t][t] / total))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }
}
