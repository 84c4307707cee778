package dev.kinema.data.annotations;

/**
 * One temporal segment of a video, in seconds: a ground-truth action instance (score 1), a
 * detection (label and score) or a class-agnostic proposal (label {@code ""}).
 */
public record Segment(String videoId, double start, double end, String label, double score) {
    public Segment {
        if (!(end >= start)) {
            throw new IllegalArgumentException("segment of " + videoId + " ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static Segment truth(String videoId, double start, double end, String label) {
        return new Segment(videoId, start, end, label, 1.0);
    }

    public double length() {
        return end - start;
    }

    /** Temporal intersection over union, as ActivityNet's evaluator computes it (0 when disjoint). */
    public double iou(Segment other) {
        return iou(start, end, other.start, other.end);
    }

    public static double iou(double start1, double end1, double start2, double end2) {
        double intersection = Math.max(0, Math.min(end1, end2) - Math.max(start1, start2));
        double union = (end1 - start1) + (end2 - start2) - intersection;
        return union > 0 ? intersection / union : 0;
    }
}
