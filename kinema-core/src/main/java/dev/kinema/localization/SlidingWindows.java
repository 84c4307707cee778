package dev.kinema.localization;

import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.eval.detection.TemporalNms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sliding-window localisation, the baseline: windows of several lengths slide over the video
 * (each length's stride a quarter of it, the last window flush with the end); a window's score for
 * a class is the mean probability of that class over the clips centred in it, times one minus its
 * mean over the clips just outside it (a quarter window each side), so that a window cut short
 * inside a longer action, whose surroundings still show the action, ranks below the one that spans
 * it (the context idea of SSN and SCNN's overlap-aware scoring); the {@code background} class is
 * never reported. Per class, greedy NMS at tIoU {@code nmsThreshold}, then the best
 * {@code maxSegments} of the video.
 *
 * @param windowSeconds the window lengths
 * @param nmsThreshold tIoU above which a lower-scored window of the same class is suppressed
 * @param maxSegments segments kept per video
 */
public record SlidingWindows(double[] windowSeconds, double nmsThreshold, int maxSegments) {
    public static final String BACKGROUND = "background";

    /** Windows of 2, 3, 4.5, 6.5 and 9.5 s (about x1.5 apart), NMS at 0.5, 100 segments: what a 3 to 10 s action needs. */
    public static SlidingWindows defaults() {
        return new SlidingWindows(new double[] {2, 3, 4.5, 6.5, 9.5}, 0.5, 100);
    }

    /** The scored segments of one video, best first. */
    public List<Segment> localize(ClipScores scores) {
        int background = scores.labels().indexOf(BACKGROUND);
        if (background < 0) {
            throw new IllegalArgumentException("the classifier has no '" + BACKGROUND + "' class (its classes are "
                    + scores.labels() + "): train it on windows with background, e.g. kinema synth --untrimmed's windows/");
        }
        String id = ActivityNetJson.videoId(stem(scores.video()));
        int classes = scores.labels().size();
        List<List<Segment>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        double duration = scores.duration();
        for (double w : windowSeconds) {
            double length = Math.min(w, duration);
            double stride = length / 4;
            List<Double> starts = new ArrayList<>();
            for (double a = 0; a + length <= duration + 1e-9; a += stride) {
                starts.add(a);
            }
            if (starts.isEmpty() || starts.get(starts.size() - 1) + length < duration - 1e-9) {
                starts.add(Math.max(0, duration - length));
            }
            for (double a : starts) {
                double b = a + length;
                double[] inside = meanOver(scores, a, b);
                if (inside == null) {
                    continue;
                }
                double[] before = meanOver(scores, a - length / 4, a);
                double[] after = meanOver(scores, b, b + length / 4);
                for (int c = 0; c < classes; c++) {
                    if (c == background) {
                        continue;
                    }
                    double outside = before == null && after == null ? 0
                            : before == null ? after[c] : after == null ? before[c] : (before[c] + after[c]) / 2;
                    double score = inside[c] * (1 - outside);
                    byClass.get(c).add(new Segment(id, a, b, scores.labels().get(c), score));
                }
            }
        }
        List<Segment> kept = new ArrayList<>();
        for (List<Segment> segments : byClass) {
            kept.addAll(TemporalNms.nms(segments, nmsThreshold, maxSegments));
        }
        kept.sort(Comparator.comparingDouble(Segment::score).reversed());
        return List.copyOf(kept.subList(0, Math.min(maxSegments, kept.size())));
    }

    /** Mean probabilities of the clips centred in [from, to), or null if none is. */
    static double[] meanOver(ClipScores scores, double from, double to) {
        double[] sum = null;
        int n = 0;
        for (int j = 0; j < scores.clips(); j++) {
            double t = scores.centre(j);
            if (t >= from && t < to) {
                if (sum == null) {
                    sum = new double[scores.labels().size()];
                }
                for (int c = 0; c < sum.length; c++) {
                    sum[c] += scores.probabilities()[j][c];
                }
                n++;
            }
        }
        if (sum != null) {
            for (int c = 0; c < sum.length; c++) {
                sum[c] /= n;
            }
        }
        return sum;
    }

    /** The file name without its extension: the video id of ActivityNet-style ground truth. */
    public static String stem(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
