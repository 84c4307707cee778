package dev.kinema.models.twostream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelInfo;
import dev.kinema.models.VideoModel;
import dev.kinema.models.frame.Backbone;
import dev.kinema.models.frame.FrameModels;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ChannelStreams;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PreLogits;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.weights.ParameterNames;
import java.nio.FloatBuffer;

/**
 * The two-stream network (Simonyan and Zisserman 2014): a spatial stream that sees single RGB
 * frames, a temporal stream that sees a stack of optical-flow fields, and their fusion.
 *
 * <ul>
 *   <li>{@code spatial-stream}: the {@code single-frame} network, a 2D CNN on every frame of an
 *       RGB clip (3×T×H×W) with the per-frame probabilities averaged at test time.
 *   <li>{@code temporal-stream}: early fusion over a flow stack: the clip 2×L×H×W (L fields of dx
 *       and dy) is folded into 2L channels, so the backbone's first convolution sees the whole stack.
 *   <li>{@code two-stream}: both streams on a packed clip 5×L×H×W (channels 0–2 frame {@code t},
 *       3–4 the flow field starting at it); the output is the log of the two streams' averaged class
 *       probabilities, so its softmax is their mean, in training (joint training minimises the
 *       cross-entropy of that fused prediction) as at inference.
 *   <li>{@code two-stream-linear}: the lecture's "SVM fusion": a linear classifier ({@code fusion})
 *       on the concatenation of the two streams' globally pooled features (spatial: averaged over
 *       frames and positions; temporal: over positions). {@link #setFusion} installs a classifier
 *       fitted on frozen, separately trained streams (see {@code dev.kinema.eval.LinearFusion}).
 * </ul>
 *
 * <p>Both two-stream models hold their streams as children {@code spatial} and {@code temporal}
 * of their {@code features}; {@link #loadStream} copies a separately trained stream into them, the
 * usual recipe (as in MMAction2, which trains the RGB and flow TSNs apart and fuses their scores).
 */
public final class TwoStreamModels {
    /** Channels of the packed two-stream clip: 3 RGB then 2 flow. */
    public static final int PACKED_CHANNELS = 5;

    static final ModelInfo SPATIAL_STREAM = new ModelInfo("spatial-stream",
            "two-stream's spatial stream: a 2D CNN on single RGB frames, probabilities averaged over frames",
            defaults(8, 3), Backbone.names());
    static final ModelInfo TEMPORAL_STREAM = new ModelInfo("temporal-stream",
            "two-stream's temporal stream: a 2D CNN whose first conv takes the 2L-channel flow stack (input 2 x L x H x W)",
            defaults(10, 2), Backbone.names());
    static final ModelInfo TWO_STREAM = new ModelInfo("two-stream",
            "spatial and temporal streams on packed RGB + flow clips (5 x L x H x W), class probabilities averaged",
            defaults(10, PACKED_CHANNELS), Backbone.names());
    static final ModelInfo TWO_STREAM_LINEAR = new ModelInfo("two-stream-linear",
            "spatial and temporal streams; a linear classifier on their concatenated pooled features (SVM fusion)",
            defaults(10, PACKED_CHANNELS), Backbone.names());

    private TwoStreamModels() {}

    private static ModelConfig defaults(int frames, int channels) {
        return ModelConfig.builder().setNumClasses(400).optFrames(frames).optSize(112).optChannels(channels)
                .optBackbone(Backbone.SMALL.cliName()).build();
    }

    private static ModelConfig withChannels(ModelConfig c, int channels) {
        return c.toBuilder().optChannels(channels).build();
    }

    static VideoModel spatialStream(ModelConfig c) {
        ModelConfig rgb = withChannels(c, 3);
        VideoModel singleFrame = FrameModels.singleFrame(rgb);
        return new VideoModel(SPATIAL_STREAM.name(), rgb, singleFrame.features(), singleFrame.head());
    }

    static VideoModel temporalStream(ModelConfig c) {
        ModelConfig flow = withChannels(c, 2);
        VideoModel earlyFusion = FrameModels.earlyFusion(flow);
        return new VideoModel(TEMPORAL_STREAM.name(), flow, earlyFusion.features(), earlyFusion.head());
    }

    static VideoModel twoStream(ModelConfig c) {
        ChannelStreams streams = streams(spatialStream(c), temporalStream(c), false);
        return new VideoModel(TWO_STREAM.name(), withChannels(c, PACKED_CHANNELS), streams, new ProbabilityAverage());
    }

    static VideoModel twoStreamLinear(ModelConfig c) {
        ChannelStreams streams = streams(spatialStream(c).features(), temporalStream(c).features(), true);
        NamedSequential head = NamedSequential.layers().add("fusion", new LinearClassifier(c.numClasses()));
        return new VideoModel(TWO_STREAM_LINEAR.name(), withChannels(c, PACKED_CHANNELS), streams, head);
    }

    /** The spatial stream on channels 0–2 of a packed clip, the temporal one on channels 3–4. */
    private static ChannelStreams streams(Block spatial, Block temporal, boolean pooled) {
        return new ChannelStreams("TwoStreams", "spatial", spatial, 3, "temporal", temporal, 2, pooled);
    }

    /** The packed two-stream clip N×5×L×H×W from RGB frames N×3×L×H×W and flow stacks N×2×L×H×W. */
    public static NDArray pack(NDArray rgb, NDArray flow) {
        Shape r = rgb.getShape();
        Shape f = flow.getShape();
        if (r.dimension() != 5 || f.dimension() != 5 || r.get(1) != 3 || f.get(1) != 2
                || r.get(0) != f.get(0) || !r.slice(2).equals(f.slice(2))) {
            throw new IllegalArgumentException("need RGB N x 3 x L x H x W and flow N x 2 x L x H x W, got " + r + " and " + f);
        }
        return rgb.concat(flow, 1);
    }

    /** True for the models that take packed RGB + flow clips. */
    public static boolean isTwoStream(VideoModel model) {
        return model.features() instanceof ChannelStreams s && s.channels() == PACKED_CHANNELS;
    }

    /**
     * Copies a trained {@code spatial-stream} or {@code temporal-stream} into the matching stream of
     * an initialised two-stream model (for {@code two-stream-linear}, its backbone only).
     *
     * @throws IllegalArgumentException when {@code stream} is not a stream or its architecture differs
     */
    public static void loadStream(VideoModel twoStream, VideoModel stream) {
        ChannelStreams streams = streams(twoStream);
        Block target;
        if (stream.name().equals(SPATIAL_STREAM.name())) {
            target = streams.first();
        } else if (stream.name().equals(TEMPORAL_STREAM.name())) {
            target = streams.second();
        } else {
            throw new IllegalArgumentException("a two-stream model takes a spatial-stream or a temporal-stream, not "
                    + stream.name());
        }
        Block source = target instanceof VideoModel ? stream : stream.features();
        ParameterNames.copy(source, target, stream.name());   // backbone, frames or size differing: refused
    }

    /**
     * Sets the linear fusion of an initialised {@code two-stream-linear}: {@code weight} is
     * classes×features row-major, {@code bias} one value per class.
     */
    public static void setFusion(VideoModel twoStreamLinear, float[] weight, float[] bias) {
        if (!isTwoStream(twoStreamLinear) || !((ChannelStreams) twoStreamLinear.features()).pooled()) {
            throw new IllegalArgumentException(twoStreamLinear.name() + " has no linear fusion");
        }
        Linear fusion = (Linear) ((NamedSequential) twoStreamLinear.head()).get("fusion");
        NDArray w = fusion.getParameters().get("weight").getArray();
        NDArray b = fusion.getParameters().get("bias").getArray();
        if (w.getShape().size() != weight.length || b.getShape().size() != bias.length) {
            throw new IllegalArgumentException("the fusion is " + w.getShape() + " + " + b.getShape() + ", got "
                    + weight.length + " weights and " + bias.length + " biases");
        }
        w.set(FloatBuffer.wrap(weight));
        b.set(FloatBuffer.wrap(bias));
    }

    private static ChannelStreams streams(VideoModel twoStream) {
        if (!isTwoStream(twoStream)) {
            throw new IllegalArgumentException(twoStream.name() + " is not a two-stream model");
        }
        return (ChannelStreams) twoStream.features();
    }

    /**
     * Fuses two streams' class scores N×2K into N×K: {@code log((softmax(a) + softmax(b)) / 2)}, so
     * the softmax of the output is the mean of the two streams' probabilities. Its pre-logit
     * features are the N×2K scores themselves.
     */
    public static final class ProbabilityAverage extends AbstractBlock implements Profiled {
        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            if (PreLogits.requested(params)) {
                return inputs;   // the streams' classifiers sit in the features: their scores are what is fused
            }
            NDArray z = inputs.singletonOrThrow();
            long k = z.getShape().get(1) / 2;
            NDArray a = z.get(new NDIndex(":, 0:{}", k)).logSoftmax(1);
            NDArray b = z.get(new NDIndex(":, {}:", k)).logSoftmax(1);
            NDArray peak = a.maximum(b);
            NDArray sum = a.sub(peak).exp().add(b.sub(peak).exp());
            return new NDList(sum.log().add(peak).sub((float) Math.log(2)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            return new Shape[] {new Shape(s.get(0), s.get(1) / 2)};
        }

        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            return in.withChannels(in.channels() / 2);
        }

        @Override
        public String label(FeatureMap in) {
            return "AverageProbabilities";
        }
    }
}
