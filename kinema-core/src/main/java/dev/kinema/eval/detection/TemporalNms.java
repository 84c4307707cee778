package dev.kinema.eval.detection;

import dev.kinema.data.annotations.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Non-maximum suppression of temporal segments. {@link #softNms} has MMAction2's semantics (BSN and
 * BMN post-processing): Gaussian decay {@code score *= exp(-iou^2 / alpha)} of every remaining
 * segment whose tIoU with the kept one exceeds {@code low + (high - low) * width} of the kept one
 * (segments in normalised time, so wider kept segments suppress less), and the loop runs while
 * fewer than {@code topK + 1} are kept, so it returns up to {@code topK + 1} segments, as MMAction2
 * does (post-processing then cuts to {@code topK}).
 */
public final class TemporalNms {
    private TemporalNms() {}

    /**
     * Soft-NMS of {@code rows} ({@code [start, end, ..., score]}: the score is the last column, as
     * MMAction2's proposal arrays). Returns {@code [start, end, score]} rows in the order kept.
     */
    public static double[][] softNms(double[][] rows, double alpha, double lowThreshold, double highThreshold, int topK) {
        double[] lastColumn = Arrays.stream(rows).mapToDouble(r -> r[r.length - 1]).toArray();
        int[] order = AveragePrecision.descendingLastTieFirst(lastColumn);
        List<double[]> remaining = new ArrayList<>();
        for (int i : order) {
            remaining.add(new double[] {rows[i][0], rows[i][1], lastColumn[i]});
        }
        List<double[]> kept = new ArrayList<>();
        while (!remaining.isEmpty() && kept.size() <= topK) {
            int best = 0;
            for (int i = 1; i < remaining.size(); i++) {
                if (remaining.get(i)[2] > remaining.get(best)[2]) {
                    best = i;
                }
            }
            double[] top = remaining.get(best);
            double threshold = lowThreshold + (highThreshold - lowThreshold) * (top[1] - top[0]);
            for (int i = 0; i < remaining.size(); i++) {
                if (i != best) {
                    double[] other = remaining.get(i);
                    double iou = Segment.iou(other[0], other[1], top[0], top[1]);
                    if (iou > threshold) {
                        other[2] *= Math.exp(-iou * iou / alpha);
                    }
                }
            }
            kept.add(top);
            remaining.remove(best);
        }
        return kept.toArray(double[][]::new);
    }

    /** {@link #softNms} on segments of one video whose times are already in [0, 1]. */
    public static List<Segment> softNms(List<Segment> segments, double alpha, double low, double high, int topK) {
        if (segments.isEmpty()) {
            return List.of();
        }
        double[][] rows = segments.stream().map(s -> new double[] {s.start(), s.end(), s.score()}).toArray(double[][]::new);
        String id = segments.get(0).videoId();
        String label = segments.get(0).label();
        List<Segment> out = new ArrayList<>();
        for (double[] r : softNms(rows, alpha, low, high, topK)) {
            out.add(new Segment(id, r[0], r[1], label, r[2]));
        }
        return out;
    }

    /**
     * Greedy NMS ({@link Nms#greedy}): segments by score (highest first, ties in input order), each
     * kept unless its tIoU with an already kept one is above {@code iouThreshold}; at most {@code maxKept} kept.
     */
    public static List<Segment> nms(List<Segment> segments, double iouThreshold, int maxKept) {
        return Nms.greedy(segments, Segment::score, Segment::iou, iouThreshold, maxKept);
    }
}
