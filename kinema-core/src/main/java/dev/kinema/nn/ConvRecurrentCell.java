package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One layer of a recurrent convolutional network (ConvLSTM, Shi et al. 2015; GRU-RCN, Ballas et al.
 * 2016): {@link Recurrent}'s LSTM or GRU with every matrix product replaced by a same-padded 2D
 * convolution, so the hidden state is a map hidden×H×W and the weights are shared across time and
 * space. Same gate order and equations as PyTorch's {@code nn.LSTM} / {@code nn.GRU} (so the GRU's
 * reset gate scales the convolved state, {@code r ⊙ (U ∗ h)}, as PyTorch does, where Ballas et
 * al. write {@code U ∗ (r ⊙ h)}); zero initial state.
 *
 * <p>Takes N×C×T×H×W and returns every step's hidden state, N×hidden×T×H×W, so layers stack in a
 * {@link NamedSequential}. Parameters are two biased convolutions, {@code conv_ih} (C to G·hidden,
 * run on all frames at once) and {@code conv_hh} (hidden to G·hidden, run step by step), G = 4 for
 * the LSTM and 3 for the GRU, as in the torch reference of {@code tools/golden/recurrent.py}.
 */
public final class ConvRecurrentCell extends AbstractBlock implements Profiled {
    private static final byte VERSION = 1;

    private final Recurrent.Kind kind;
    private final long hidden;
    private final Block convIh;
    private final Block convHh;

    /** A {@code kind} layer from {@code inChannels} to {@code hidden} channels with {@code kernel}×{@code kernel} convolutions. */
    public ConvRecurrentCell(Recurrent.Kind kind, long inChannels, long hidden, int kernel) {
        super(VERSION);
        this.kind = kind;
        this.hidden = hidden;
        long gates = kind.gates() * hidden;
        this.convIh = addChildBlock("conv_ih", LayerFactory.djlConv(ConvSpec.conv2d(inChannels, gates, kernel).bias(true)));
        this.convHh = addChildBlock("conv_hh", LayerFactory.djlConv(ConvSpec.conv2d(hidden, gates, kernel).bias(true)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("a recurrent convolutional layer takes N×C×T×H×W, got " + s);
        }
        long n = s.get(0);
        long t = s.get(2);
        NDArray frames = x.swapAxes(1, 2).reshape(framesShape(s));
        NDArray projected = convIh.forward(parameterStore, new NDList(frames), training, params).singletonOrThrow();
        projected = projected.reshape(new Shape(n, t).addAll(projected.getShape().slice(1)));
        NDArray h = x.getManager().zeros(new Shape(n, hidden, s.get(3), s.get(4)), x.getDataType());
        NDArray c = h;
        NDList steps = new NDList();
        for (long step = 0; step < t; step++) {
            NDArray gi = projected.get(":, {}", step);
            NDArray gh = convHh.forward(parameterStore, new NDList(h), training, params).singletonOrThrow();
            if (kind == Recurrent.Kind.LSTM) {
                NDArray[] hc = Recurrent.lstmStep(gi.add(gh), c);
                h = hc[0];
                c = hc[1];
            } else {
                h = Recurrent.gruStep(gi, gh, h);
            }
            steps.add(h);
        }
        return new NDList(NDArrays.stack(steps, 2));
    }

    private static Shape framesShape(Shape clip) {
        return new Shape(clip.get(0) * clip.get(2), clip.get(1), clip.get(3), clip.get(4));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        convIh.initialize(manager, dataType, framesShape(s));
        convHh.initialize(manager, dataType, new Shape(s.get(0), hidden, s.get(3), s.get(4)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), hidden, s.get(2), s.get(3), s.get(4))};
    }

    /** Both convolutions at every step; the output sees the whole clip in time. */
    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap out = profiler.visit(convIh, in.withFramesInBatch(true));
        profiler.visit(convHh, out.withChannels(hidden));
        return Recurrent.seesWholeClip(out.withFramesInBatch(false).withChannels(hidden));
    }

    @Override
    public String label(FeatureMap in) {
        return "Conv" + (kind == Recurrent.Kind.LSTM ? "LSTM" : "GRU") + "(" + in.channels() + "->" + hidden + ")";
    }
}
