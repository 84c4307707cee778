package dev.kinema.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.NamedSequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One forward pass of a model that keeps a layer's output and, after the caller's backward pass,
 * the gradient of the score at that layer: what PyTorch's forward and backward hooks give Grad-CAM.
 *
 * <p>DJL has no hooks, and the PyTorch engine keeps no gradient of an intermediate tensor. So the
 * layer named by its module path (the names of {@link VideoModel#forwardIntermediates}, e.g.
 * {@code conv4}, {@code layer4}, {@code blocks.4}, or deeper through nested sequences, e.g.
 * {@code layer4.1}) is wrapped for the pass: its output is detached and made a leaf that requires a
 * gradient, and the rest of the network is computed from that leaf. The wrapper is taken out again
 * when the pass ends. The backbone's output ({@code features}, or the name of its last stage) needs
 * no wrapping: the head is simply run on the leaf.
 *
 * <p>Not thread-safe: the model is changed during the pass.
 */
final class LayerTap {
    private LayerTap() {}

    /** The model's scores (inference mode) and the tapped layer's output, a leaf that requires a gradient. */
    record Pass(NDArray scores, NDArray activation) {}

    /**
     * Runs {@code model} on {@code clips} with the output of {@code layer} tapped. Call it inside a
     * {@code GradientCollector}; after {@code backward}, {@code activation().getGradient()} is the
     * gradient at the layer.
     *
     * @throws IllegalArgumentException naming the layer and the ones that can be tapped
     */
    static Pass forward(VideoModel model, String layer, NDArray clips, ParameterStore store, List<String> stages) {
        String last = stages.get(stages.size() - 1);
        if (layer.equals("features") || layer.equals(last)) {
            NDList features = model.forwardFeatures(store, new NDList(clips), false);
            NDArray leaf = leaf(features.head());
            NDList rest = new NDList(leaf);
            for (int i = 1; i < features.size(); i++) {
                rest.add(features.get(i));
            }
            return new Pass(model.forwardHead(store, rest, false).singletonOrThrow(), leaf);
        }
        Located at = locate(model.features(), layer, "");
        if (at == null) {
            throw new IllegalArgumentException(model.name() + " has no layer '" + layer + "' that can be explained; "
                    + "its stages are " + stages);
        }
        Block original = at.parent().get(at.child());
        Tap tap = new Tap(original);
        at.parent().replace(at.child(), tap);
        try {
            NDArray scores = model.forward(store, new NDList(clips), false).singletonOrThrow();
            if (tap.leaf == null) {
                throw new IllegalStateException(layer + " was not reached by " + model.name() + "'s forward pass");
            }
            return new Pass(scores, tap.leaf);
        } finally {
            at.parent().replace(at.child(), original);
        }
    }

    /** The stage outputs' names and shapes, for one clip, without any gradient. */
    static Map<String, NDList> stages(VideoModel model, NDArray clip, ParameterStore store) {
        return model.forwardIntermediates(store, new NDList(clip), false);
    }

    private record Located(NamedSequential parent, String child) {}

    /** The sequence that holds {@code path} (module path below {@code prefix}), or null. */
    private static Located locate(Block block, String path, String prefix) {
        if (!(block instanceof NamedSequential seq)) {
            return null;
        }
        for (String name : seq.names()) {
            String full = prefix.isEmpty() ? name : prefix + "." + name;
            if (full.equals(path)) {
                return new Located(seq, name);
            }
            if (path.startsWith(full + ".")) {
                Located inner = locate(seq.get(name), path, full);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    static NDArray leaf(NDArray output) {
        NDArray leaf = output.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** The wrapped layer: runs it and hands on its (first) output as a leaf. Never initialised itself. */
    private static final class Tap extends AbstractBlock {
        private final Block inner;
        private NDArray leaf;

        Tap(Block inner) {
            this.inner = inner;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList out = inner.forward(store, inputs, training, params);
            if (leaf != null) {
                throw new IllegalStateException("the tapped layer ran twice in one pass");
            }
            leaf = leaf(out.head());
            List<NDArray> rest = new ArrayList<>(out.subList(1, out.size()));
            NDList result = new NDList(leaf);
            result.addAll(rest);
            return result;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }
    }
}
