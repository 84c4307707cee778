package dev.kinema.models.tsm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.TemporalShift;

/**
 * TSM (Lin, Gan and Han, ICCV 2019): torchvision's 2D ResNet run on the T frames of a clip (T
 * segments, TSN-style), with a {@link TemporalShift} on the residual branch of every block, before
 * {@code conv1} ("residual shift"). The shift has no parameters, so {@code tsm_r18} and
 * {@code tsm_r50} have exactly the parameters of torchvision's resnet18 and resnet50, under the
 * same names: a torchvision ImageNet checkpoint loads unchanged.
 *
 * <p>Consensus: TSM averages the per-segment logits. The head here averages the pooled features
 * over the segments and applies {@code fc} once, which is the same thing ({@code fc} is affine) at
 * 1/T of the classifier's cost.
 *
 * <p>The number of segments is fixed when the model is built (the config's frames), as in the
 * reference: the shift needs to know which frames of the batch belong to one clip.
 */
final class Tsm {
    private Tsm() {}

    static VideoModel r18(ModelConfig c) {
        return create("tsm_r18", c, ResNet2d.RESNET18, true);
    }

    static VideoModel r50(ModelConfig c) {
        return create("tsm_r50", c, ResNet2d.RESNET50, true);
    }

    /** The model; with {@code shift} false it is TSN with a ResNet: the 2D network on every frame. */
    static VideoModel create(String name, ModelConfig c, ResNet2d resnet, boolean shift) {
        int segments = c.frames();
        NamedSequential features = NamedSequential.layers().add("frames", new ClipsToFrames(name, segments));
        resnet.addTo(features, c.layers(), c.channels(), shift ? channels -> new TemporalShift(segments) : null);
        features.add("clips", new FramesToClips(segments));
        return new VideoModel(name, c, features, LinearHead.pooled(c.numClasses()));
    }

    /** N×C×T×H×W clips to (N·T)×C×H×W frames, for a 2D network; T must be the model's segments. */
    static final class ClipsToFrames extends AbstractBlock implements Profiled {
        private final String model;
        private final int segments;

        ClipsToFrames(String model, int segments) {
            this.model = model;
            this.segments = segments;
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray clip = inputs.singletonOrThrow();
            return new NDList(clip.swapAxes(1, 2).reshape(frames(clip.getShape())));
        }

        private Shape frames(Shape clip) {
            if (clip.dimension() != 5 || clip.get(2) != segments) {
                throw new IllegalArgumentException(model + " was built for clips of " + segments
                        + " frames (its segments), got " + clip);
            }
            return new Shape(clip.get(0) * segments, clip.get(1), clip.get(3), clip.get(4));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {frames(inputShapes[0])};
        }

        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            if (in.shape().length != 4 || in.shape()[1] != segments) {
                throw new IllegalArgumentException(model + " was built for clips of " + segments + " frames, got "
                        + in.shapeText());
            }
            return in.withFramesInBatch(true);
        }

        @Override
        public boolean isRow() {
            return false;
        }
    }

    /** (N·T)×C×H×W frames back to N×C×T×H×W clips. */
    static final class FramesToClips extends AbstractBlock implements Profiled {
        private final int segments;

        FramesToClips(int segments) {
            this.segments = segments;
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray frames = inputs.singletonOrThrow();
            Shape s = frames.getShape();
            return new NDList(frames.reshape(new Shape(s.get(0) / segments, segments).addAll(s.slice(1))).swapAxes(1, 2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            return new Shape[] {new Shape(s.get(0) / segments, s.get(1), segments).addAll(s.slice(2))};
        }

        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            return in.withFramesInBatch(false);
        }

        @Override
        public boolean isRow() {
            return false;
        }
    }
}
