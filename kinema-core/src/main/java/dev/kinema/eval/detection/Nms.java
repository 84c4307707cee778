package dev.kinema.eval.detection;

import dev.kinema.data.annotations.ActorBox;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * Greedy non-maximum suppression, the one loop behind temporal NMS ({@link TemporalNms#nms}) and
 * box NMS ({@link #boxes}), with {@code torchvision.ops.nms}'s semantics: the highest score is kept,
 * every remaining item whose overlap with a kept one is strictly above the threshold is dropped,
 * and so on down the scores. Ties keep input order (Java's sort is stable; torchvision leaves ties
 * to {@code torch.sort}).
 */
public final class Nms {
    private Nms() {}

    /**
     * The items kept, highest score first, at most {@code maxKept}.
     *
     * @param overlap IoU (or tIoU) of two items
     * @param threshold overlap above which the lower-scored item is dropped; 1 or more keeps everything
     */
    public static <T> List<T> greedy(List<T> items, ToDoubleFunction<T> score, ToDoubleBiFunction<T, T> overlap,
            double threshold, int maxKept) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Double.compare(score.applyAsDouble(b), score.applyAsDouble(a)));
        List<T> kept = new ArrayList<>();
        for (T item : sorted) {
            if (kept.size() >= maxKept) {
                break;
            }
            boolean suppressed = false;
            for (T k : kept) {
                if (overlap.applyAsDouble(item, k) > threshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(item);
            }
        }
        return kept;
    }

    /**
     * Class-agnostic box NMS of one keyframe's boxes by {@link ActorBox#iou} (no +1 on areas, as
     * torchvision's {@code box_iou}); boxes of other keyframes are not compared, so give one at a time.
     */
    public static List<ActorBox> boxes(List<ActorBox> boxes, double iouThreshold, int maxKept) {
        return greedy(boxes, ActorBox::score, ActorBox::iou, iouThreshold, maxKept);
    }
}
