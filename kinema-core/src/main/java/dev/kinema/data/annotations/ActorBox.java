package dev.kinema.data.annotations;

/**
 * One AVA row: an actor's box on the keyframe at {@code timestamp} (whole seconds) of a video,
 * corners normalised to [0, 1], with one action, the actor's id ({@code -1} if the file has none)
 * and a score (1 for ground truth).
 */
public record ActorBox(String videoId, int timestamp, double x1, double y1, double x2, double y2, int actionId,
        int personId, double score) {

    /** AVA's image key, {@code video_id,timestamp} with the timestamp in four digits, as the official evaluator makes it. */
    public String key() {
        return key(videoId, timestamp);
    }

    public static String key(String videoId, int timestamp) {
        return videoId + "," + String.format("%04d", timestamp);
    }

    /** A box with positive width and height; the official evaluator drops the others from detections. */
    public boolean valid() {
        return x1 < x2 && y1 < y2;
    }

    /** Intersection over union of the two boxes (areas without the +1 of pixel boxes, as AVA's np_box_ops). */
    public double iou(ActorBox o) {
        double iw = Math.max(0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
        double ih = Math.max(0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
        double inter = iw * ih;
        double union = (x2 - x1) * (y2 - y1) + (o.x2 - o.x1) * (o.y2 - o.y1) - inter;
        return union > 0 ? inter / union : 0;
    }
}
