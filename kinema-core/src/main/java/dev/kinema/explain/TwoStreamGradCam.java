package dev.kinema.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.eval.Metrics;
import dev.kinema.models.VideoModel;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.nn.ChannelStreams;

/**
 * Grad-CAM of a two-stream model ({@code two-stream}, {@code two-stream-linear}). Its backbone is
 * its two streams side by side, so it has no single spatio-temporal stage: the gradient of the
 * <b>fused</b> class score is taken at both streams' feature maps in one backward pass (the spatial
 * stream's per-frame maps, the temporal stream's map over the flow stack), and each gives a map by
 * {@link GradCam}'s arithmetic (mmaction2's). The spatial map lies over the RGB frames, the temporal
 * one over the flow fields; comparing them shows which stream the fused decision leans on where.
 *
 * <p>The streams are tapped by running the model's own blocks (same parameters) inside a copy of
 * its {@link ChannelStreams} whose streams hand on their feature maps as gradient leaves.
 */
final class TwoStreamGradCam {
    /** The layers the maps belong to, as the page and the JSON name them. */
    static final String SPATIAL = "spatial.features";
    static final String TEMPORAL = "temporal.features";

    private TwoStreamGradCam() {}

    /** The spatial stream's map (over the RGB frames) and the temporal stream's (over the flow fields). */
    record Result(GradCam.Result spatial, GradCam.Result temporal) {}

    /**
     * Explains one packed clip 1×5×L×H×W for {@code target}, or the top class when null.
     *
     * @throws IllegalArgumentException if {@code model} is not a two-stream model
     */
    static Result explain(VideoModel model, NDArray clip, Integer target) {
        if (!TwoStreamModels.isTwoStream(model)) {
            throw new IllegalArgumentException(model.name() + " is not a two-stream model");
        }
        ChannelStreams streams = (ChannelStreams) model.features();
        StreamTap spatial = StreamTap.of(streams.first());
        StreamTap temporal = StreamTap.of(streams.second());
        VideoModel tapped = new VideoModel(model.name(), model.config(), new ChannelStreams("TwoStreams", "spatial", spatial,
                3, "temporal", temporal, 2, streams.pooled()), model.head());
        Shape s = clip.getShape();
        try (NDManager manager = clip.getManager().newSubManager()) {
            NDArray x = clip.duplicate();
            x.attach(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray scores = tapped.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
                float[] all = scores.toFloatArray();
                int k = target != null ? GradCam.checkTarget(target, all.length) : Metrics.argmax(all);
                collector.backward(scores.get(0, k));
                return new Result(GradCam.result(SPATIAL, spatial.leaf, k, all, s),
                        GradCam.result(TEMPORAL, temporal.leaf, k, all, s));
            }
        }
    }

    /**
     * A stream run with its feature maps handed on as a gradient leaf: a whole stream model (its
     * features, the leaf, its head) or, in {@code two-stream-linear}, a stream's backbone alone.
     */
    private static final class StreamTap extends AbstractBlock {
        private final Block features;
        private final Block head;
        private NDArray leaf;

        private StreamTap(Block features, Block head) {
            this.features = features;
            this.head = head;
        }

        static StreamTap of(Block stream) {
            return stream instanceof VideoModel m ? new StreamTap(m.features(), m.head()) : new StreamTap(stream, null);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            leaf = LayerTap.leaf(features.forward(store, inputs, training, params).singletonOrThrow());
            return head == null ? new NDList(leaf) : head.forward(store, new NDList(leaf), training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape[] maps = features.getOutputShapes(inputShapes);
            return head == null ? maps : head.getOutputShapes(maps);
        }
    }
}
