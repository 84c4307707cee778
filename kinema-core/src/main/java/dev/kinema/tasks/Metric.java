package dev.kinema.tasks;

import java.util.Locale;
import java.util.Objects;

/**
 * A metric a task reports, with the direction that makes it better (what MMAction2's
 * {@code save_best} rule and timm's {@code --eval-metric} with {@code decreasing} need to know).
 *
 * @param name its key, snake_case ({@code video_top1}); in {@code metrics.jsonl} it appears as
 *     {@code train_<name>} or {@code val_<name>}
 * @param label how people read it ({@code video top-1})
 * @param higherIsBetter true for accuracies, false for errors and losses
 * @param fraction a share in [0, 1], shown as a percentage
 */
public record Metric(String name, String label, boolean higherIsBetter, boolean fraction) {
    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
    }

    /** An accuracy-like share in [0, 1], better when higher. */
    public static Metric accuracy(String name, String label) {
        return new Metric(name, label, true, true);
    }

    /** Whether {@code candidate} beats {@code best} (strictly; NaN never beats, anything beats null). */
    public boolean isBetter(double candidate, Double best) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (best == null || best.isNaN()) {
            return true;
        }
        return higherIsBetter ? candidate > best : candidate < best;
    }

    /** {@code label value}, a fraction as a percentage: {@code video top-1 95.8%}. */
    public String format(double value) {
        return label + " " + (fraction ? String.format(Locale.ROOT, "%.1f%%", 100 * value)
                : String.format(Locale.ROOT, "%.4g", value));
    }
}
