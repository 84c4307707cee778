package dev.kinema.nn;

import ai.djl.ndarray.NDManager;

/**
 * A causal layer that can run a clip a few frames at a time (MoViNet's stream buffers): while a
 * stream is open it carries what it needs of the frames it has seen (the last kt−1 input frames of
 * a {@link CausalConv3d}, the running sums of a cumulative average) in arrays of the stream's
 * manager, so each step's output equals the whole clip's output at those frames and memory stays
 * fixed however long the stream runs. With no stream open it runs whole clips, as any layer.
 * {@link StreamSession} opens and closes the stream on every such layer of a model.
 */
public interface StreamingLayer {
    /** Starts a stream whose carried state lives in {@code state}; the layer forgets any earlier stream. */
    void openStream(NDManager state);

    /** Ends the stream: the layer runs whole clips again (the state's arrays are the manager's to close). */
    void closeStream();
}
