package dev.kinema.eval.detection;

import dev.kinema.data.annotations.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ActivityNet's detection metric, with its official evaluator's rules: for each class (the labels of
 * the ground truth) and tIoU threshold, predictions are taken by descending score, and each is a
 * true positive if its best-overlapping ground truth of that class and video not yet matched at
 * this threshold overlaps it by at least the threshold (ground truth already matched is skipped in
 * tIoU order; the first one under the threshold ends the search); AP is interpolated
 * ({@link AveragePrecision#allPoint}); mAP averages the classes; the headline is the mean over the
 * thresholds 0.50:0.05:0.95.
 *
 * <p>Predictions whose label is no ground-truth class cannot be right or wrong for any class and
 * are counted in {@link Result#unknownLabels} (the official tool stops on them). Predictions of a
 * video with no ground truth are false positives.
 */
public final class ActivityNetMap {
    /** {@code numpy.linspace(0.5, 0.95, 10)}: ActivityNet's thresholds. */
    public static final double[] THRESHOLDS = linspace(0.5, 0.95, 10);

    private ActivityNetMap() {}

    /**
     * @param thresholds the tIoU thresholds
     * @param map mAP at each threshold
     * @param averageMap the mean of {@code map}
     * @param apByClass each class's AP at each threshold, classes in order of first appearance in the ground truth
     * @param unknownLabels predictions whose label is not a ground-truth class
     */
    public record Result(double[] thresholds, double[] map, double averageMap, Map<String, double[]> apByClass, int unknownLabels) {}

    public static Result evaluate(List<Segment> groundTruth, List<Segment> predictions) {
        return evaluate(groundTruth, predictions, THRESHOLDS);
    }

    public static Result evaluate(List<Segment> groundTruth, List<Segment> predictions, double[] thresholds) {
        Map<String, List<Segment>> truthByClass = new LinkedHashMap<>();
        groundTruth.forEach(s -> truthByClass.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s));
        Map<String, List<Segment>> predictionsByClass = new HashMap<>();
        int unknown = 0;
        for (Segment p : predictions) {
            if (truthByClass.containsKey(p.label())) {
                predictionsByClass.computeIfAbsent(p.label(), k -> new ArrayList<>()).add(p);
            } else {
                unknown++;
            }
        }
        Map<String, double[]> apByClass = new LinkedHashMap<>();
        double[] map = new double[thresholds.length];
        for (Map.Entry<String, List<Segment>> e : truthByClass.entrySet()) {
            double[] ap = averagePrecision(e.getValue(), predictionsByClass.getOrDefault(e.getKey(), List.of()), thresholds);
            apByClass.put(e.getKey(), ap);
            for (int t = 0; t < ap.length; t++) {
                map[t] += ap[t] / truthByClass.size();
            }
        }
        double average = 0;
        for (double m : map) {
            average += m / map.length;
        }
        return new Result(thresholds.clone(), map, average, apByClass, unknown);
    }

    /** One class's AP at each threshold (ground truth and predictions of that class only). */
    public static double[] averagePrecision(List<Segment> truth, List<Segment> predictions, double[] thresholds) {
        double[] ap = new double[thresholds.length];
        if (predictions.isEmpty()) {
            return ap;
        }
        List<Segment> ranked = new ArrayList<>(predictions);
        ranked.sort(Comparator.comparingDouble(Segment::score).reversed()); // stable: ties keep file order
        Map<String, List<Integer>> truthByVideo = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            truthByVideo.computeIfAbsent(truth.get(i).videoId(), k -> new ArrayList<>()).add(i);
        }
        boolean[][] matched = new boolean[thresholds.length][truth.size()];
        boolean[][] tp = new boolean[thresholds.length][ranked.size()];
        for (int p = 0; p < ranked.size(); p++) {
            Segment prediction = ranked.get(p);
            List<Integer> candidates = truthByVideo.get(prediction.videoId());
            if (candidates == null) {
                continue;
            }
            double[] iou = candidates.stream().mapToDouble(g -> prediction.iou(truth.get(g))).toArray();
            int[] byOverlap = AveragePrecision.descendingLastTieFirst(iou);
            for (int t = 0; t < thresholds.length; t++) {
                for (int j : byOverlap) {
                    if (iou[j] < thresholds[t]) {
                        break;
                    }
                    int g = candidates.get(j);
                    if (!matched[t][g]) {
                        matched[t][g] = true;
                        tp[t][p] = true;
                        break;
                    }
                }
            }
        }
        for (int t = 0; t < thresholds.length; t++) {
            ap[t] = AveragePrecision.ofRanked(tp[t], truth.size());
        }
        return ap;
    }

    /** numpy's linspace: {@code start + i * step}, the last exactly {@code stop}. */
    public static double[] linspace(double start, double stop, int n) {
        double[] v = new double[n];
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        v[n - 1] = stop;
        return v;
    }
}
