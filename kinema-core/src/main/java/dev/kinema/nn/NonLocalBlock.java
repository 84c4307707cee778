package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;

/**
 * The embedded-Gaussian non-local block (Wang et al. 2018) for N×C×T×H×W maps: 1×1×1 convolutions
 * make queries (θ), keys (φ) and values (g) of width C/2; every one of the THW positions attends to
 * every key position with {@code softmax(θᵀφ / √(C/2))}; the attended values go through a 1×1×1
 * convolution back to C channels and a BatchNorm, and are added to the input.
 *
 * <p>As PyTorchVideo's {@code NonLocal} (and the authors' Caffe2 code), which scale the affinities by
 * {@code (C/2)^-0.5} before the softmax, optionally max-pool the input of φ and g (1×2×2 in the
 * paper) so there are 4× fewer keys, and name the parts {@code conv_theta}, {@code conv_phi},
 * {@code conv_g}, {@code conv_out}, {@code norm}: PyTorchVideo's weights load as they are. The
 * norm's scale starts at zero, so a freshly inserted block is the identity and a pretrained
 * network keeps its output until the block learns something.
 *
 * <p>Its layer-table row counts the four convolutions and the two attention products,
 * {@code 2·THW·T'H'W'·C/2} MACs (fvcore also counts those), and every output position sees the
 * whole clip.
 */
public final class NonLocalBlock extends AbstractBlock implements Profiled {
    private static final byte VERSION = 1;

    private final long channels;
    private final long inner;
    private final Block theta;
    private final Block phi;
    private final Block g;
    private final Pooling pool;
    private final Block out;
    private final Block norm;

    /**
     * A block on {@code channels} channels, inner width {@code channels / 2}, with keys and values
     * max-pooled by {@code keyPool} (e.g. 1×2×2), or not when it is null.
     */
    public NonLocalBlock(long channels, Shape keyPool) {
        super(VERSION);
        if (channels < 2) {
            throw new IllegalArgumentException("a non-local block needs at least 2 channels, got " + channels);
        }
        this.channels = channels;
        this.inner = channels / 2;
        this.theta = addChildBlock("conv_theta", pointwise(channels, inner));
        this.phi = addChildBlock("conv_phi", pointwise(channels, inner));
        this.g = addChildBlock("conv_g", pointwise(channels, inner));
        this.out = addChildBlock("conv_out", pointwise(inner, channels));
        BatchNorm bn = BatchNorm.builder().build();
        bn.setInitializer(Initializer.ZEROS, "gamma");
        this.norm = addChildBlock("norm", bn);
        this.pool = keyPool == null ? null : addChildBlock("pool", Pooling.max(keyPool, keyPool, new Shape(0, 0, 0)));
    }

    private static Block pointwise(long in, long outChannels) {
        return LayerFactory.djlConv(ConvSpec.conv3d(in, outChannels, 1, 1, 1).bias(true));
    }

    public long channels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 5 || s.get(1) != channels) {
            throw new IllegalArgumentException("a non-local block for " + channels + " channels takes N×" + channels
                    + "×T×H×W, got " + s);
        }
        long n = s.get(0);
        NDArray keysIn = pool == null ? x : pool.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
        NDArray queries = flat(apply(theta, parameterStore, x, training, params), n).swapAxes(1, 2);   // N×L×C'
        NDArray keys = flat(apply(phi, parameterStore, keysIn, training, params), n);                   // N×C'×P
        NDArray values = flat(apply(g, parameterStore, keysIn, training, params), n);                   // N×C'×P
        NDArray attention = Scalars.mul(queries.matMul(keys), 1 / Math.sqrt(inner)).softmax(2);                 // N×L×P
        NDArray attended = values.matMul(attention.swapAxes(1, 2)).reshape(new Shape(n, inner).addAll(s.slice(2)));
        NDArray y = apply(out, parameterStore, attended, training, params);
        return new NDList(x.add(apply(norm, parameterStore, y, training, params)));
    }

    private static NDArray apply(Block b, ParameterStore store, NDArray x, boolean training, PairList<String, Object> params) {
        return b.forward(store, new NDList(x), training, params).singletonOrThrow();
    }

    private static NDArray flat(NDArray map, long n) {
        return map.reshape(n, map.getShape().get(1), -1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape keysIn = pool == null ? x : pool.getOutputShapes(new Shape[] {x})[0];
        theta.initialize(manager, dataType, x);
        phi.initialize(manager, dataType, keysIn);
        g.initialize(manager, dataType, keysIn);
        Shape attended = new Shape(x.get(0), inner).addAll(x.slice(2));
        out.initialize(manager, dataType, attended);
        norm.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != channels) {
            throw new IllegalArgumentException("a non-local block for " + channels + " channels got " + in.shapeText());
        }
        if (in.framesInBatch() || in.opDims().size() != 3) {
            throw new IllegalArgumentException("a non-local block needs a 3D CNN's C×T×H×W maps, not " + in.shapeText()
                    + (in.framesInBatch() ? " per frame" : ""));
        }
        FeatureMap queries = profiler.visit(theta, in);
        FeatureMap keysIn = pool == null ? in : profiler.visit(pool, in);
        FeatureMap keys = profiler.visit(phi, keysIn);
        profiler.visit(g, keysIn);
        profiler.visit(out, queries);
        profiler.visit(norm, in);
        long positions = queries.elements() / inner;
        long keyPositions = keys.elements() / inner;
        profiler.count(0, Math.multiplyExact(2 * positions * keyPositions, inner));
        FeatureMap whole = in;
        for (int i = 0; i < 3; i++) {
            whole = Recurrent.seesWholeClip(whole, Axis.values()[i]);
        }
        return whole;
    }

    @Override
    public String label(FeatureMap in) {
        return "NonLocal(" + channels + ", inner " + inner + (pool == null ? "" : ", keys pooled") + ")";
    }
}
