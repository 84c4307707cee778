package dev.kinema.eval.detection;

import dev.kinema.data.annotations.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Average recall against the average number of proposals per video (AR@AN), as ActivityNet's
 * proposal evaluator (and MMAction2's {@code average_recall_at_avg_proposals}) computes it: each
 * video keeps the same fraction of its proposals, highest scores first, so that on average
 * {@code maxAverageProposals} are kept; the curve has 100 points, at 1%..100% of those; at each
 * point a ground-truth segment is recalled if any kept proposal overlaps it by at least the tIoU
 * threshold; recall is averaged over the thresholds 0.50:0.05:0.95; the AUC is the trapezoid area
 * under the curve over its largest AN, in percent.
 */
public final class ProposalRecall {
    private ProposalRecall() {}

    /**
     * @param recall recall at each threshold (rows) and point of the curve (100 columns)
     * @param averageRecall recall averaged over the thresholds, at each point
     * @param proposalsPerVideo the average number of proposals per video at each point
     * @param auc area under the AR@AN curve, in percent of its AN range
     */
    public record Result(double[][] recall, double[] averageRecall, double[] proposalsPerVideo, double auc) {
        /**
         * AR@{@code n}: the curve's value at its {@code n}-th point (1-based), which is AN = n when
         * the curve spans 100 proposals per video and every video has that many, as in ActivityNet's
         * AR@1/5/10/100 (and MMAction2's {@code recall[:, n - 1]}).
         */
        public double at(int n) {
            return averageRecall[n - 1];
        }
    }

    /** With ActivityNet's settings: up to 100 proposals per video on average, thresholds 0.50:0.05:0.95. */
    public static Result evaluate(List<Segment> groundTruth, List<Segment> proposals) {
        return evaluate(groundTruth, proposals, 100, ActivityNetMap.THRESHOLDS);
    }

    /**
     * @param maxAverageProposals the largest average number of proposals per video ({@code <= 0}:
     *     all proposals, the total divided by the number of ground-truth videos)
     */
    public static Result evaluate(List<Segment> groundTruth, List<Segment> proposals, double maxAverageProposals,
            double[] thresholds) {
        Map<String, List<Segment>> truthByVideo = new LinkedHashMap<>();
        groundTruth.forEach(s -> truthByVideo.computeIfAbsent(s.videoId(), k -> new ArrayList<>()).add(s));
        Map<String, List<Segment>> proposalsByVideo = new HashMap<>();
        proposals.forEach(s -> proposalsByVideo.computeIfAbsent(s.videoId(), k -> new ArrayList<>()).add(s));
        int videos = truthByVideo.size();
        if (videos == 0) {
            throw new IllegalArgumentException("no ground-truth segments to recall");
        }
        int totalProposals = proposals.size();
        if (totalProposals == 0) {
            throw new IllegalArgumentException("no proposals");
        }
        double maxAverage = maxAverageProposals > 0 ? maxAverageProposals : totalProposals / (double) videos;
        double ratio = maxAverage * videos / totalProposals;

        // tIoU of each video's ground truth (rows) with its retrieved proposals, best score first.
        List<double[][]> overlaps = new ArrayList<>();
        int retrieved = 0;
        for (Map.Entry<String, List<Segment>> e : truthByVideo.entrySet()) {
            List<Segment> truth = e.getValue();
            List<Segment> mine = proposalsByVideo.getOrDefault(e.getKey(), List.of());
            if (mine.isEmpty()) {
                overlaps.add(new double[truth.size()][1]);
                continue;
            }
            double[] scores = mine.stream().mapToDouble(Segment::score).toArray();
            int[] order = AveragePrecision.descendingLastTieFirst(scores);
            int keep = Math.min((int) (mine.size() * ratio), mine.size());
            retrieved += keep;
            double[][] iou = new double[truth.size()][keep];
            for (int g = 0; g < truth.size(); g++) {
                for (int p = 0; p < keep; p++) {
                    iou[g][p] = truth.get(g).iou(mine.get(order[p]));
                }
            }
            overlaps.add(iou);
        }
        if (retrieved == 0) {
            throw new IllegalArgumentException("none of the " + totalProposals + " proposals is for a ground-truth video"
                    + " (are the video ids the same? the v_ prefix is ignored)");
        }
        int points = 100;
        double[] fraction = new double[points];
        for (int j = 0; j < points; j++) {
            fraction[j] = (j + 1) / 100.0 * (maxAverage * videos / retrieved);
        }
        double[][] recall = new double[thresholds.length][points];
        for (int t = 0; t < thresholds.length; t++) {
            long positives = 0;
            long[] matches = new long[points];
            for (double[][] iou : overlaps) {
                positives += iou.length;
                int columns = iou.length == 0 ? 0 : iou[0].length;
                for (int j = 0; j < points; j++) {
                    int n = Math.min((int) (columns * fraction[j]), columns);
                    for (double[] row : iou) {
                        for (int p = 0; p < n; p++) {
                            if (row[p] >= thresholds[t]) {
                                matches[j]++;
                                break;
                            }
                        }
                    }
                }
            }
            for (int j = 0; j < points; j++) {
                recall[t][j] = matches[j] / (double) positives;
            }
        }
        double[] average = new double[points];
        double[] perVideo = new double[points];
        for (int j = 0; j < points; j++) {
            for (double[] r : recall) {
                average[j] += r[j];
            }
            average[j] /= thresholds.length;
            perVideo[j] = fraction[j] * (retrieved / (double) videos);
        }
        double area = 0;
        for (int j = 1; j < points; j++) {
            area += (perVideo[j] - perVideo[j - 1]) * (average[j] + average[j - 1]) / 2;
        }
        return new Result(recall, average, perVideo, 100 * area / perVideo[points - 1]);
    }
}
