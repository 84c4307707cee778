package dev.kinema.eval.detection;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Average precision as the PASCAL VOC devkit (2010 on) computes it and both ActivityNet's and AVA's
 * evaluators use: the area under the precision envelope (precision made non-increasing in recall),
 * over every recall step ("all-point" interpolation).
 */
public final class AveragePrecision {
    private AveragePrecision() {}

    /** The envelope's area, for precision and recall at each rank (recall non-decreasing). */
    public static double allPoint(double[] precision, double[] recall) {
        int n = precision.length;
        double[] p = new double[n + 2];
        double[] r = new double[n + 2];
        System.arraycopy(precision, 0, p, 1, n);
        System.arraycopy(recall, 0, r, 1, n);
        r[n + 1] = 1;
        for (int i = n; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        double ap = 0;
        for (int i = 1; i < n + 2; i++) {
            if (r[i] != r[i - 1]) {
                ap += (r[i] - r[i - 1]) * p[i];
            }
        }
        return ap;
    }

    /**
     * The AP of ranked true/false positives against {@code positives} ground-truth instances:
     * precision and recall at each rank, then {@link #allPoint}. {@code 0} when nothing was ranked.
     */
    public static double ofRanked(boolean[] truePositive, int positives) {
        int n = truePositive.length;
        if (n == 0) {
            return 0;
        }
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += truePositive[i] ? 1 : 0;
            precision[i] = tp / (double) (i + 1);
            recall[i] = positives == 0 ? 0 : tp / (double) positives;
        }
        return allPoint(precision, recall);
    }

    /**
     * Indices of {@code scores} from highest to lowest, ties in reverse order of appearance: what
     * numpy's {@code argsort(scores)[::-1]} gives the official evaluators on short arrays, so ties
     * rank the same here.
     */
    static int[] descendingLastTieFirst(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        Arrays.setAll(idx, i -> i);
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i));
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[idx.length - 1 - i];
        }
        return out;
    }
}
