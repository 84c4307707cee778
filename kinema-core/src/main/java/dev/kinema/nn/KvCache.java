package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The keys and values a causal decoder has computed for the tokens so far, one pair per layer
 * (each N×heads×L×d), so that generation feeds only the newest token and attends to the cached ones
 * instead of recomputing the whole prefix (Hugging Face's {@code past_key_values}). The arrays
 * belong to the manager of the step that made them; a cache lives as long as one generation.
 */
public final class KvCache {
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached so far (every layer holds as many between forward passes). */
    public long length() {
        return length(0);
    }

    /** Tokens layer {@code layer} holds: during a forward pass, the layers before it already hold the new ones. */
    public long length(int layer) {
        return keys[layer] == null ? 0 : keys[layer].getShape().get(2);
    }

    /** Appends layer {@code layer}'s new keys and values along the token axis and returns the whole of each. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        if (keys[layer] != null) {
            k = NDArrays.concat(new NDList(keys[layer], k), 2);
            v = NDArrays.concat(new NDList(values[layer], v), 2);
        }
        keys[layer] = k;
        values[layer] = v;
        return new NDArray[] {k, v};
    }

    /** A cache holding the same tokens, for a beam that branches off (arrays are shared: they are never written in place). */
    public KvCache copy() {
        KvCache c = new KvCache(keys.length);
        System.arraycopy(keys, 0, c.keys, 0, keys.length);
        System.arraycopy(values, 0, c.values, 0, values.length);
        return c;
    }
}
