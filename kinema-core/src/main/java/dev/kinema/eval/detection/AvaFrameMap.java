package dev.kinema.eval.detection;

import dev.kinema.data.annotations.ActorBox;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AVA's frame-level mAP, with the official evaluator's rules (ActivityNet's
 * {@code get_ava_performance.py}, which MMAction2 vendors): only the label map's classes count;
 * excluded timestamps are dropped from both sides; on each keyframe and for each class, detections
 * with a positive-area box are taken by descending score and each may match only the ground-truth
 * box it overlaps most, which must have IoU at least 0.5 and not be matched yet, else it is a false
 * positive; detections on keyframes without ground truth are false positives; each class's AP is
 * the VOC all-point AP ({@link AveragePrecision#allPoint}) over all keyframes; the mAP averages the
 * classes that have ground truth (the others have no AP).
 */
public final class AvaFrameMap {
    public static final double IOU_THRESHOLD = 0.5;

    private AvaFrameMap() {}

    /**
     * @param map the mean AP over classes with ground truth
     * @param apByClass AP of each label-map class with ground truth, by action id, in label-map order
     * @param labels the label map
     */
    public record Result(double map, Map<Integer, Double> apByClass, Map<Integer, String> labels) {}

    public static Result evaluate(Collection<ActorBox> groundTruth, Collection<ActorBox> detections, Map<Integer, String> labels,
            Set<String> excludedKeys) {
        Map<String, List<ActorBox>> truthByKey = byKey(groundTruth, labels, excludedKeys);
        Map<String, List<ActorBox>> detectionsByKey = byKey(detections, labels, excludedKeys);
        Map<Integer, Integer> positives = new HashMap<>();
        truthByKey.values().forEach(l -> l.forEach(b -> positives.merge(b.actionId(), 1, Integer::sum)));

        Map<Integer, List<Double>> scores = new HashMap<>();
        Map<Integer, List<Boolean>> truePositive = new HashMap<>();
        for (Map.Entry<String, List<ActorBox>> frame : detectionsByKey.entrySet()) {
            List<ActorBox> frameDetections = new ArrayList<>(frame.getValue());
            // Highest score first (ties keep file order), as the official reader sorts each keyframe.
            frameDetections.sort((a, b) -> Double.compare(b.score(), a.score()));
            List<ActorBox> frameTruth = truthByKey.getOrDefault(frame.getKey(), List.of());
            for (int action : labels.keySet()) {
                List<ActorBox> dets = frameDetections.stream().filter(d -> d.actionId() == action && d.valid()).toList();
                if (dets.isEmpty()) {
                    continue;
                }
                List<ActorBox> truth = frameTruth.stream().filter(t -> t.actionId() == action).toList();
                boolean[] matched = new boolean[truth.size()];
                for (ActorBox d : dets) {
                    boolean tp = false;
                    if (!truth.isEmpty()) {
                        int best = 0;
                        double bestIou = d.iou(truth.get(0));
                        for (int g = 1; g < truth.size(); g++) {
                            double iou = d.iou(truth.get(g));
                            if (iou > bestIou) {
                                best = g;
                                bestIou = iou;
                            }
                        }
                        if (bestIou >= IOU_THRESHOLD && !matched[best]) {
                            matched[best] = true;
                            tp = true;
                        }
                    }
                    scores.computeIfAbsent(action, k -> new ArrayList<>()).add(d.score());
                    truePositive.computeIfAbsent(action, k -> new ArrayList<>()).add(tp);
                }
            }
        }

        Map<Integer, Double> apByClass = new LinkedHashMap<>();
        double sum = 0;
        for (int action : labels.keySet()) {
            int n = positives.getOrDefault(action, 0);
            if (n == 0) {
                continue;
            }
            List<Double> s = scores.getOrDefault(action, List.of());
            List<Boolean> tp = truePositive.getOrDefault(action, List.of());
            int[] order = AveragePrecision.descendingLastTieFirst(s.stream().mapToDouble(Double::doubleValue).toArray());
            boolean[] ranked = new boolean[order.length];
            for (int i = 0; i < order.length; i++) {
                ranked[i] = tp.get(order[i]);
            }
            double ap = AveragePrecision.ofRanked(ranked, n);
            apByClass.put(action, ap);
            sum += ap;
        }
        double map = apByClass.isEmpty() ? Double.NaN : sum / apByClass.size();
        return new Result(map, apByClass, labels);
    }

    private static Map<String, List<ActorBox>> byKey(Collection<ActorBox> boxes, Map<Integer, String> labels, Set<String> excluded) {
        Map<String, List<ActorBox>> byKey = new LinkedHashMap<>();
        for (ActorBox b : boxes) {
            if (labels.containsKey(b.actionId()) && !excluded.contains(b.key())) {
                byKey.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(b);
            }
        }
        return byKey;
    }
}
