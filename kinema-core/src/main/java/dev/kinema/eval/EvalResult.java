package dev.kinema.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The accuracy of a classifier on a split, at clip and at video level (JSON keys in snake_case:
 * {@code clip_top1}, {@code video_top1}, {@code mean_class_accuracy}, ...).
 *
 * @param clipTop1 top-1 accuracy of a single centre clip (centre crop) per video
 * @param clipTop5 top-5 accuracy of that clip
 * @param videoTop1 top-1 accuracy of the softmax averaged over {@code clips} × {@code crops} views
 * @param videoTop5 top-5 accuracy of that average
 * @param meanClassAccuracy the video-level recall averaged over classes that have videos
 * @param classes class names, in label order
 * @param confusion video-level counts {@code [true class][predicted class]}
 * @param videos videos evaluated
 * @param skipped videos that could not be read and were left out
 * @param clips temporal clips per video
 * @param crops spatial crops per clip (1 centre, or 3 for three-crop testing)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalResult(double clipTop1, double clipTop5, double videoTop1, double videoTop5,
        double meanClassAccuracy, List<String> classes, int[][] confusion, int videos, int skipped, int clips,
        int crops) {

    /**
     * Computes every metric from per-video scores.
     *
     * @param labels the true class of each video
     * @param clipScores the centre clip's probabilities, one row per video
     * @param videoScores the averaged probabilities, one row per video
     */
    public static EvalResult of(List<String> classes, int[] labels, List<float[]> clipScores, List<float[]> videoScores,
            int skipped, int clips, int crops) {
        int[] predicted = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            predicted[i] = Metrics.argmax(videoScores.get(i));
        }
        int[][] confusion = Metrics.confusion(labels, predicted, classes.size());
        return new EvalResult(Metrics.topKAccuracy(clipScores, labels, 1), Metrics.topKAccuracy(clipScores, labels, 5),
                Metrics.topKAccuracy(videoScores, labels, 1), Metrics.topKAccuracy(videoScores, labels, 5),
                Metrics.meanClassAccuracy(confusion), List.copyOf(classes), confusion, labels.length, skipped, clips,
                crops);
    }

    /** Equal metrics, classes and confusion counts (the matrix by content, unlike a record's default). */
    @Override
    public boolean equals(Object o) {
        return o instanceof EvalResult r && clipTop1 == r.clipTop1 && clipTop5 == r.clipTop5
                && videoTop1 == r.videoTop1 && videoTop5 == r.videoTop5 && meanClassAccuracy == r.meanClassAccuracy
                && classes.equals(r.classes) && Arrays.deepEquals(confusion, r.confusion) && videos == r.videos
                && skipped == r.skipped && clips == r.clips && crops == r.crops;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clipTop1, clipTop5, videoTop1, videoTop5, meanClassAccuracy, classes,
                Arrays.deepHashCode(confusion), videos, skipped, clips, crops);
    }

    @Override
    public String toString() {
        return "EvalResult[clipTop1=" + clipTop1 + ", clipTop5=" + clipTop5 + ", videoTop1=" + videoTop1
                + ", videoTop5=" + videoTop5 + ", meanClassAccuracy=" + meanClassAccuracy + ", classes=" + classes
                + ", confusion=" + Arrays.deepToString(confusion) + ", videos=" + videos + ", skipped=" + skipped
                + ", clips=" + clips + ", crops=" + crops + "]";
    }
}
