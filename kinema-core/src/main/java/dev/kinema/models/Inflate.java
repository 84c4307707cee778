package dev.kinema.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.kinema.nn.Elementwise;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.GuardedConv3d;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PerFrame;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.Residual;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Inflation (Carreira and Zisserman 2017, the "I" of I3D): a 2D network run on every frame becomes
 * a 3D network. Every Kh×Kw convolution and pooling becomes Kt×Kh×Kw; each 2D conv weight is
 * copied Kt times along time and divided by Kt, so on a video whose frames are all the same the 3D
 * network computes exactly what the 2D network computes on that frame. BatchNorm (with its running
 * statistics), the activations and the head are kept, with their weights.
 *
 * <pre>{@code
 * VideoModel frames = ModelRegistry.create("single-frame", config);   // trained, e.g. on images
 * VideoModel video = Inflate.toVideo(frames, 3);                      // every conv and pool 3 x Kh x Kw
 * VideoModel mixed = Inflate.toVideo(frames, 1, 1, 3, 1, 3, 1, 3, 1); // one Kt per layer, in order
 * Inflate.inflatableLayers(frames);                                   // which layers those are
 * }</pre>
 *
 * <p><b>What it takes.</b> Models of the {@link ModelRegistry} whose features are a 2D network
 * applied to every frame ({@link PerFrame}): {@code single-frame}, {@code late-fusion-fc},
 * {@code late-fusion-pool} (any backbone) and {@code toy-late-fusion}. Anything else (early fusion,
 * which folds time into channels; 3D models; TSM, whose frames already talk through the shift) is an
 * error saying which layer is in the way. The model is rebuilt from its registry name and config,
 * then transformed; if the 2D model's parameters are initialised, the new model is initialised in
 * the same manager and gets the inflated weights, otherwise it is returned uninitialised.
 *
 * <p><b>Kt.</b> One value for every layer, or one per inflatable layer (convolutions and poolings,
 * in forward order: {@link #inflatableLayers}). Kt must be odd, so the kernel is centred on its
 * frame; time keeps stride 1, so T and the head are unchanged.
 *
 * <p><b>Temporal padding.</b> By default the clip is padded in time by repeating its first and last
 * frames ({@link TemporalPadding#REPLICATE}). With zero padding the first and last (Kt-1)/2 frames of
 * a constant video would see zeros through the inflated kernel, and the output would no longer be
 * the 2D network's; replication keeps it exact at every frame, which is what makes an inflated
 * ImageNet network a good starting point (the paper's "boring video" argument). {@link
 * TemporalPadding#ZEROS} is there for comparison and for weights trained with zero padding.
 *
 * <p><b>Cost.</b> An inflated conv has Kt times the weights and multiply-adds of the 2D one; the
 * layer table and receptive fields show it (time grows by Kt-1 per inflated layer).
 */
public final class Inflate {
    /** How the clip is padded along time before an inflated Kt×Kh×Kw window. */
    public enum TemporalPadding {
        /** Repeat the first and last frames: a constant video stays constant, inflation is exact. */
        REPLICATE,
        /** Zeros, as a plain 3D convolution pads. */
        ZEROS
    }

    private Inflate() {}

    /** The model inflated with replicate temporal padding; {@code kt}: one value, or one per inflatable layer. */
    public static VideoModel toVideo(VideoModel model2d, int... kt) {
        return toVideo(model2d, TemporalPadding.REPLICATE, kt);
    }

    /**
     * The model inflated with the given temporal padding.
     *
     * @throws IllegalArgumentException if the model is not a registered per-frame 2D model, or the
     *     Kt values are not one or one per inflatable layer, or not odd and positive
     */
    public static VideoModel toVideo(VideoModel model2d, TemporalPadding padding, int... kt) {
        Objects.requireNonNull(model2d, "model2d");
        Objects.requireNonNull(padding, "padding");
        if (kt == null || kt.length == 0) {
            throw new IllegalArgumentException("give one Kt for every layer, or one per inflatable layer");
        }
        for (int k : kt) {
            if (k < 1 || k % 2 == 0) {
                throw new IllegalArgumentException("Kt must be odd and >= 1 (a kernel centred on its frame), got "
                        + Arrays.toString(kt));
            }
        }
        if (kt.length > 1) {
            List<String> layers = inflatableLayers(model2d);
            if (kt.length != layers.size()) {
                throw new IllegalArgumentException(model2d.name() + " has " + layers.size()
                        + " inflatable layers (convolutions and poolings), got " + kt.length + " Kt values; layers: "
                        + String.join(", ", layers));
            }
        }
        VideoModel fresh = rebuild(model2d);
        Walker walker = new Walker(model2d.name(), padding, kt);
        Block features = walker.features(fresh.features());
        VideoModel model3d = new VideoModel(model2d.name() + "-inflated", model2d.config(), features, fresh.head());
        model3d.layerTable();   // a shape problem shows here, naming the layer
        if (model2d.isInitialized()) {
            copyWeights(model2d, model3d);
        }
        return model3d;
    }

    /** The paths of the convolutions and poolings that {@code toVideo} inflates, in forward order. */
    public static List<String> inflatableLayers(VideoModel model2d) {
        Walker walker = new Walker(model2d.name(), TemporalPadding.REPLICATE, new int[] {1});
        walker.features(rebuild(model2d).features());
        return List.copyOf(walker.layers);
    }

    /** A new, uninitialised instance of the same model, whose blocks the 3D model may adopt. */
    private static VideoModel rebuild(VideoModel model2d) {
        try {
            return ModelRegistry.create(model2d.name(), model2d.config());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Inflate takes models of the ModelRegistry (it rebuilds them from name and "
                    + "config): " + e.getMessage(), e);
        }
    }

    /** Parameters in block order: the same in both models, conv weights gaining a time axis. */
    private static void copyWeights(VideoModel model2d, VideoModel model3d) {
        List<Pair<String, Parameter>> from = model2d.getParameters().stream().toList();
        NDManager manager = from.get(0).getValue().getArray().getManager();
        Shape clip = new Shape(1).addAll(model2d.inputShape());
        model3d.initialize(manager, DataType.FLOAT32, clip);
        List<Pair<String, Parameter>> to = model3d.getParameters().stream().toList();
        if (from.size() != to.size()) {
            throw new IllegalStateException(model2d.name() + ": " + from.size() + " parameters, inflated " + to.size());
        }
        for (int i = 0; i < from.size(); i++) {
            NDArray src = from.get(i).getValue().getArray();
            NDArray dst = to.get(i).getValue().getArray();
            if (src.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("inflation copies float32 weights, " + from.get(i).getKey() + " is "
                        + src.getDataType());
            }
            float[] values = src.toFloatArray();
            Shape s = src.getShape();
            Shape d = dst.getShape();
            if (d.equals(s)) {
                dst.set(FloatBuffer.wrap(values));
            } else if (s.dimension() == 4 && d.dimension() == 5 && d.get(0) == s.get(0) && d.get(1) == s.get(1)
                    && d.get(3) == s.get(2) && d.get(4) == s.get(3)) {
                dst.set(FloatBuffer.wrap(alongTime(values, (int) (s.get(0) * s.get(1)), (int) d.get(2),
                        (int) (s.get(2) * s.get(3)))));
            } else {
                throw new IllegalStateException("cannot inflate " + from.get(i).getKey() + " " + s + " into " + d);
            }
        }
    }

    /** Each of {@code filters} Kh×Kw slabs repeated {@code kt} times and divided by {@code kt}. */
    static float[] alongTime(float[] weights2d, int filters, int kt, int slab) {
        float[] out = new float[weights2d.length * kt];
        for (int f = 0; f < filters; f++) {
            for (int t = 0; t < kt; t++) {
                for (int j = 0; j < slab; j++) {
                    out[(f * kt + t) * slab + j] = weights2d[f * slab + j] / kt;
                }
            }
        }
        return out;
    }

    /** Rebuilds a feature extractor, inflating the 2D layers of its per-frame networks. */
    private static final class Walker {
        private final String model;
        private final TemporalPadding padding;
        private final int[] kt;
        private final List<String> layers = new ArrayList<>();
        private boolean sawPerFrame;

        Walker(String model, TemporalPadding padding, int[] kt) {
            this.model = model;
            this.padding = padding;
            this.kt = kt;
        }

        Block features(Block features) {
            Block out = walk(features, "", false);
            if (!sawPerFrame) {
                throw new IllegalArgumentException("cannot inflate " + model + ": its features have no per-frame 2D network; "
                        + "Inflate takes models that run a 2D network on every frame (single-frame, late-fusion-fc, "
                        + "late-fusion-pool, toy-late-fusion)");
            }
            return out;
        }

        private Block walk(Block b, String path, boolean perFrame) {
            if (b instanceof PerFrame p) {
                if (perFrame) {
                    throw refuse(path, b, "a per-frame network inside a per-frame network");
                }
                sawPerFrame = true;
                return walk(p.frameNetwork(), path, true);
            }
            if (b instanceof NamedSequential seq) {
                NamedSequential out = seq.isUnit() ? NamedSequential.unit() : NamedSequential.layers();
                for (String name : seq.names()) {
                    out.add(name, walk(seq.get(name), Profiler.childName(path, name), perFrame));
                }
                return out;
            }
            if (b instanceof Residual r) {
                return r.map((name, child) -> walk(child, Profiler.childName(path, name), perFrame));
            }
            if (b instanceof Convolution conv && conv.getKernelShape().dimension() == 2) {
                if (!perFrame) {
                    throw refuse(path, b, "a 2D convolution that does not run on single frames");
                }
                return inflatedConv(conv, nextKt(path));
            }
            if (b instanceof Pooling pool && pool.kernel().dimension() == 2) {
                if (!perFrame) {
                    throw refuse(path, b, "a 2D pooling that does not run on single frames");
                }
                return inflatedPool(pool, nextKt(path));
            }
            if (b instanceof BatchNorm || b instanceof Elementwise || b instanceof Dropout) {
                return b;   // works on N×C×T×H×W as it did on N×C×H×W, parameters unchanged
            }
            if (perFrame) {
                throw refuse(path, b, "a layer Inflate cannot turn into 3D");
            }
            if (b.getChildren().isEmpty() && b.getParameters().isEmpty()) {
                return b;   // a parameter-free layer on clips, kept as it is
            }
            throw refuse(path, b, "a layer outside the per-frame network");
        }

        private int nextKt(String path) {
            layers.add(path);
            return kt.length == 1 ? kt[0] : kt[layers.size() - 1];
        }

        private IllegalArgumentException refuse(String path, Block b, String why) {
            return new IllegalArgumentException("cannot inflate " + model + ": " + (path.isEmpty() ? "(root)" : path) + " ("
                    + b.getClass().getSimpleName() + ") is " + why + "; Inflate takes models that run a 2D network on "
                    + "every frame (single-frame, late-fusion-fc, late-fusion-pool, toy-late-fusion)");
        }

        private Block inflatedConv(Convolution conv, int k) {
            Shape kernel = new Shape(k).addAll(conv.getKernelShape());
            Shape stride = new Shape(1).addAll(conv.getStride());
            Shape pad = new Shape(k / 2).addAll(conv.getPadding());
            Shape dilation = new Shape(1).addAll(conv.getDilation());
            Conv3d.Builder builder = Conv3d.builder().setKernelShape(kernel).setFilters(conv.getFilters()).optStride(stride)
                    .optPadding(pad).optDilation(dilation).optGroups(conv.getGroups()).optBias(conv.isIncludeBias());
            return new InflatedConv(builder, padding == TemporalPadding.REPLICATE);
        }

        private Block inflatedPool(Pooling pool, int k) {
            Shape kernel = new Shape(k).addAll(pool.kernel());
            Shape stride = new Shape(1).addAll(pool.stride());
            Shape pad = new Shape(k / 2).addAll(pool.padding());
            Pooling geometry = pool.kind() == Pooling.Kind.MAX ? Pooling.max(kernel, stride, pad) : Pooling.avg(kernel, stride, pad);
            return padding == TemporalPadding.ZEROS || k == 1 ? geometry : new ReplicatePaddedPool(geometry);
        }
    }

    /** The clip with its first and last frames repeated {@code frames} times (axis 2 of N×C×T×H×W). */
    static NDArray replicateTime(NDArray x, long frames) {
        if (frames == 0) {
            return x;
        }
        NDArray first = x.get(new NDIndex(":, :, :1")).repeat(2, frames);
        NDArray last = x.get(new NDIndex(":, :, -1:")).repeat(2, frames);
        return NDArrays.concat(new NDList(first, x, last), 2);
    }

    /**
     * An inflated convolution: DJL's 3D convolution, with the clip padded in time by replication when
     * asked. The profiler sees an ordinary convolution with padding (Kt-1)/2 in time, the same
     * geometry.
     */
    static final class InflatedConv extends GuardedConv3d {
        private final boolean replicate;

        InflatedConv(Conv3d.Builder builder, boolean replicate) {
            super(builder);
            this.replicate = replicate;
        }

        @Override
        protected NDArray padInput(NDArray x) {
            return replicate ? replicateTime(x, padding.get(0)) : x;
        }

        @Override
        protected Shape remainingPadding() {
            return replicate ? new Shape(0, padding.get(1), padding.get(2)) : padding;
        }
    }

    /** A 3D pooling whose temporal padding repeats the end frames instead of ignoring them. */
    static final class ReplicatePaddedPool extends AbstractBlock implements Profiled {
        private final Pooling geometry;
        private final Pooling unpaddedInTime;

        ReplicatePaddedPool(Pooling geometry) {
            this.geometry = geometry;
            Shape p = geometry.padding();
            Shape spatialOnly = new Shape(0, p.get(1), p.get(2));
            this.unpaddedInTime = geometry.kind() == Pooling.Kind.MAX
                    ? Pooling.max(geometry.kernel(), geometry.stride(), spatialOnly)
                    : Pooling.avg(geometry.kernel(), geometry.stride(), spatialOnly);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray padded = replicateTime(inputs.singletonOrThrow(), geometry.padding().get(0));
            return unpaddedInTime.forward(parameterStore, new NDList(padded), training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return geometry.getOutputShapes(inputShapes);
        }

        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            return geometry.profile(in, profiler);
        }

        @Override
        public String label(FeatureMap in) {
            return geometry.label(in);
        }
    }
}
