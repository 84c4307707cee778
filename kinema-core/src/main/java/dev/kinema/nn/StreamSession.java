package dev.kinema.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * A model running as a stream: opens a stream on every {@link StreamingLayer} of a block, so that
 * forward passes on consecutive pieces of a video (one frame or a few, N×C×t×H×W) continue one
 * another, and closes them, freeing the carried buffers, when closed. Its state is one manager of
 * fixed size (the buffers), separate from each step's arrays.
 *
 * <pre>{@code
 * try (StreamSession stream = StreamSession.open(model)) {
 *     for (NDArray frame : frames) {                 // N×C×1×H×W, in a step manager
 *         NDArray logits = model.forward(ps, new NDList(frame), false).head();   // the video so far
 *     }
 * }
 * }</pre>
 *
 * <p>One stream per model at a time; a model is not safe for two threads while streaming.
 */
public final class StreamSession implements AutoCloseable {
    private final List<StreamingLayer> layers;
    private NDManager state;

    private StreamSession(List<StreamingLayer> layers) {
        this.layers = layers;
        this.state = NDManager.newBaseManager();
        layers.forEach(l -> l.openStream(state));
    }

    /** Opens a stream on every streaming layer inside {@code model}; it must have at least one. */
    public static StreamSession open(Block model) {
        List<StreamingLayer> found = new ArrayList<>();
        collect(model, found);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the model has no causal streaming layers, so it cannot run as a stream;"
                    + " use a stream-* model");
        }
        return new StreamSession(found);
    }

    /** The streaming layers inside {@code block}, in forward order. */
    public static List<StreamingLayer> layersOf(Block block) {
        List<StreamingLayer> found = new ArrayList<>();
        collect(block, found);
        return found;
    }

    private static void collect(Block block, List<StreamingLayer> found) {
        if (block instanceof StreamingLayer layer) {
            found.add(layer);
        }
        block.getChildren().values().forEach(child -> collect(child, found));
    }

    /** Starts a new stream (a new video) on the same layers: every buffer back to empty. */
    public void reset() {
        layers.forEach(StreamingLayer::closeStream);
        state.close();
        state = NDManager.newBaseManager();
        layers.forEach(l -> l.openStream(state));
    }

    /** Values the stream carries between steps (every buffer and running sum): fixed once each layer has run. */
    public long carriedValues() {
        return state.getManagedArrays().stream().filter(a -> !a.isReleased()).mapToLong(a -> a.getShape().size()).sum();
    }

    @Override
    public void close() {
        layers.forEach(StreamingLayer::closeStream);
        state.close();
    }
}
