package dev.kinema.nn;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Pair;

/**
 * Makes a 3D CNN causal in time, in place, so that it streams (MoViNet's recipe): every 3D
 * convolution with a temporal kernel becomes a {@link CausalConv3d} (past-side padding, a stream
 * buffer), every temporal stride becomes 1 (a stream gives one output per frame), global average
 * pooling becomes {@link CausalGlobalAvgPool} (a cumulative average) and squeeze-excitation
 * {@link CausalSqueezeExcitation}. Parameters keep their shapes and names, so the causal model loads
 * the original's weights. Layers are replaced inside {@link NamedSequential}s; one that needs
 * replacing anywhere else is refused.
 *
 * <p>What is left must be frame-wise (1×k×k convolutions, norms in inference mode, activations,
 * linear layers): the exactness test ({@code StreamingExactnessTest}) checks the registered stream
 * models.
 */
public final class Causal {
    private Causal() {}

    /** {@code root} with its temporal layers made causal (the same block, changed in place). */
    public static <B extends Block> B convert(B root) {
        walk(root);
        return root;
    }

    private static void walk(Block parent) {
        if (parent instanceof NamedSequential seq) {
            for (String name : seq.names()) {
                Block child = seq.get(name);
                Block causal = causalOf(child);
                if (causal != null) {
                    seq.replace(name, causal);
                } else {
                    walk(child);
                }
            }
            return;
        }
        for (Pair<String, Block> child : parent.getChildren()) {
            if (causalOf(child.getValue()) != null) {
                throw new IllegalArgumentException("cannot make " + child.getKey() + " causal: it is inside a "
                        + parent.getClass().getSimpleName() + ", not a NamedSequential");
            }
            walk(child.getValue());
        }
    }

    /** The causal replacement of {@code block}, or null when it is causal already (or has no time). */
    private static Block causalOf(Block block) {
        if (block instanceof StreamingLayer) {
            return null;
        }
        if (block instanceof Convolution conv && conv.getKernelShape().dimension() == 3) {
            if (conv.getKernelShape().get(0) > 1) {
                return CausalConv3d.like(conv);
            }
            Shape s = conv.getStride();
            if (s.get(0) > 1) {
                return GuardedConv3d.of(Conv3d.builder().setFilters(conv.getFilters())
                        .setKernelShape(conv.getKernelShape()).optStride(new Shape(1, s.get(1), s.get(2)))
                        .optPadding(conv.getPadding()).optDilation(conv.getDilation()).optGroups(conv.getGroups())
                        .optBias(conv.isIncludeBias()));
            }
            return null;
        }
        if (block instanceof GlobalAvgPool) {
            return new CausalGlobalAvgPool();
        }
        if (block instanceof SqueezeExcitation se) {
            return new CausalSqueezeExcitation(se.channels(), se.reduced());
        }
        return null;
    }
}
