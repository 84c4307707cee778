package dev.kinema.eval;

import java.util.List;

/**
 * Classification metrics on plain arrays of scores (logits or probabilities: only their order
 * matters), so they can be checked by hand and reused by training, evaluation and reports.
 *
 * <p>Conventions: ties go to the lower class index; top-k with k above the number of classes
 * counts every class; a confusion matrix is indexed {@code [true class][predicted class]}; mean
 * class accuracy averages the recall of the classes that have at least one sample (MMAction2's
 * {@code mean_class_accuracy}), so a class missing from a split does not count as 0.
 */
public final class Metrics {
    private Metrics() {}

    /** The index of the largest score; the lowest index among equals. */
    public static int argmax(float[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores");
        }
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The {@code min(k, classes)} best class indices, best first, lower index first among equals. */
    public static int[] topK(float[] scores, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        int n = Math.min(k, scores.length);
        int[] out = new int[n];
        boolean[] taken = new boolean[scores.length];
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out[r] = best;
        }
        return out;
    }

    /** Whether {@code label} is among the {@code k} best of {@code scores}. */
    public static boolean inTopK(float[] scores, int label, int k) {
        checkLabel(label, scores.length);
        // Rank = classes scoring strictly higher, plus equal ones with a lower index (the tie rule).
        int rank = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > scores[label] || (scores[i] == scores[label] && i < label)) {
                rank++;
            }
        }
        return rank < k;
    }

    /** The fraction of rows whose label is among its {@code k} best scores; 0 for no rows. */
    public static double topKAccuracy(List<float[]> scores, int[] labels, int k) {
        checkRows(scores, labels);
        if (labels.length == 0) {
            return 0;
        }
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (inTopK(scores.get(i), labels[i], k)) {
                hits++;
            }
        }
        return (double) hits / labels.length;
    }

    /** {@code counts[t][p]}: samples of true class {@code t} predicted as {@code p}. */
    public static int[][] confusion(int[] labels, int[] predicted, int numClasses) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predicted.length + " predictions");
        }
        int[][] counts = new int[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            checkLabel(labels[i], numClasses);
            checkLabel(predicted[i], numClasses);
            counts[labels[i]][predicted[i]]++;
        }
        return counts;
    }

    /** The mean, over classes with samples, of the fraction of each class's samples predicted right; 0 if none. */
    public static double meanClassAccuracy(int[][] confusion) {
        double sum = 0;
        int classes = 0;
        for (int t = 0; t < confusion.length; t++) {
            long total = 0;
            for (int count : confusion[t]) {
                total += count;
            }
            if (total > 0) {
                sum += (double) confusion[t][t] / total;
                classes++;
            }
        }
        return classes == 0 ? 0 : sum / classes;
    }

    /** The element-wise mean of equally long rows (e.g. per-clip probabilities to a video's). */
    public static float[] mean(List<float[]> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to average");
        }
        int n = rows.get(0).length;
        double[] sum = new double[n];
        for (float[] row : rows) {
            if (row.length != n) {
                throw new IllegalArgumentException("rows of different lengths: " + n + " and " + row.length);
            }
            for (int i = 0; i < n; i++) {
                sum[i] += row[i];
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sum[i] / rows.size());
        }
        return out;
    }

    /** The softmax of {@code logits}, computed stably (max subtracted first). */
    public static float[] softmax(float[] logits) {
        float max = logits[argmax(logits)];
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (e[i] / sum);
        }
        return out;
    }

    private static void checkRows(List<float[]> scores, int[] labels) {
        if (scores.size() != labels.length) {
            throw new IllegalArgumentException(scores.size() + " score rows but " + labels.length + " labels");
        }
    }

    private static void checkLabel(int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException("class index " + label + " is outside 0.." + (numClasses - 1));
        }
    }
}
