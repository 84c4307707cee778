package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A parameter's value for one forward pass, owned by the pass's manager.
 *
 * <p>Why: DJL attaches the result of {@code a.op(b)} to {@code a}'s manager. A parameter's array
 * lives on the model's manager, so whatever a block computes with the parameter first
 * ({@code classToken.broadcast(...)}, {@code table.get(...)}, {@code weight.transpose()}) lands there
 * too, and so does everything computed from that result: a class token concatenated in front of the
 * tokens made every later activation of a transformer a child of the model's manager, which the
 * training step's manager never freed (23 MB a step for {@code vivit-fe-small}, 18 GB over a
 * 20-epoch run). Blocks that start an operation from a parameter take the parameter through
 * {@link #of}; blocks that start from their input ({@code x.add(bias)}, {@code conv(x, w)}) need not.
 * {@code ModelMemoryTest} trains every registered model for a few steps and fails on any array left
 * on the model's manager.
 */
public final class ParameterValues {
    private ParameterValues() {}

    /**
     * {@code parameter}'s value on {@code like}'s device, as a view attached to {@code like}'s
     * manager: freed with it, and with everything computed from it. Gradients still flow to the
     * parameter (the view is differentiable).
     */
    public static NDArray of(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        NDArray value = store.getValue(parameter, like.getDevice(), training);
        if (value.getManager() == like.getManager()) {
            return value;
        }
        NDArray view = value.reshape(value.getShape());
        view.attach(like.getManager());
        return view;
    }
}
