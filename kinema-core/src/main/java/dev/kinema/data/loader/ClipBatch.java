package dev.kinema.data.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.VideoSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A collated batch of clips, N×C×T×H×W (or N×T×C×H×W), still on the Java heap: workers build it
 * without touching native memory, and the consumer makes the NDArray in a manager it owns and
 * closes, so nothing native outlives a training step.
 *
 * @param index position of this batch in the epoch
 * @param values the normalised clip values, row-major in {@code shape}
 * @param labels the label of each clip (-1 where unlabeled)
 * @param samples the video each clip came from
 * @param clipIndices which of its video's clips each clip is (several per video in test mode)
 * @param boxes each clip's boxes ({@link Clip#boxes}), in pixels of the collated frames
 * @param segments each clip's labelled time spans ({@link Clip#segments})
 * @param texts each clip's text, or null ({@link Clip#text})
 */
public record ClipBatch(int index, float[] values, Shape shape, int[] labels, List<VideoSample> samples,
        int[] clipIndices, List<List<Clip.Box>> boxes, List<List<Clip.Segment>> segments, List<String> texts) {

    public ClipBatch {
        int n = labels.length;
        boxes = boxes == null ? Collections.nCopies(n, List.of()) : Collections.unmodifiableList(new ArrayList<>(boxes));
        segments = segments == null ? Collections.nCopies(n, List.of())
                : Collections.unmodifiableList(new ArrayList<>(segments));
        texts = texts == null ? Collections.nCopies(n, null) : Collections.unmodifiableList(new ArrayList<>(texts));
        if (clipIndices.length != n || boxes.size() != n || segments.size() != n || texts.size() != n) {
            throw new IllegalArgumentException("a batch of " + n + " labels needs as many clip indices, boxes, "
                    + "segments and texts");
        }
    }

    /** A batch of clips with labels only (classification). */
    public ClipBatch(int index, float[] values, Shape shape, int[] labels, List<VideoSample> samples,
            int[] clipIndices) {
        this(index, values, shape, labels, samples, clipIndices, null, null, null);
    }

    /** Clips in the batch (can be fewer than the batch size: last batch, or skipped bad videos). */
    public int size() {
        return labels.length;
    }

    /** The clips as one float32 NDArray owned by {@code manager}. */
    public NDArray data(NDManager manager) {
        return manager.create(values, shape);
    }

    /** The labels as an int32 NDArray owned by {@code manager}. */
    public NDArray labels(NDManager manager) {
        return manager.create(labels);
    }
}
