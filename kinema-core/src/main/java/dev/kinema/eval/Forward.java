package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Inference on batches of clips: softmax probabilities, computed in chunks to bound memory. */
public final class Forward {
    private Forward() {}

    /**
     * The class probabilities of every clip of {@code clips} (N×C×T×H×W), one row per clip.
     *
     * <p>DJL keeps every intermediate tensor of a forward pass until its manager closes, so the
     * clips go through at most {@code chunk} at a time, each chunk in a manager of its own.
     */
    public static float[][] probabilities(Block model, NDArray clips, int numClasses, int chunk) {
        int n = Math.toIntExact(clips.getShape().get(0));
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            try (NDManager step = clips.getManager().newSubManager()) {
                NDArray part = clips.get(new NDIndex("{}:{}", from, to));
                part.attach(step);
                ParameterStore parameters = new ParameterStore(step, false);
                NDArray logits = model.forward(parameters, new NDList(part), false).singletonOrThrow();
                if (!logits.getShape().equals(new Shape(to - from, numClasses))) {
                    throw new IllegalStateException("the model returned " + logits.getShape() + " for " + (to - from)
                            + " clips; expected " + new Shape(to - from, numClasses) + " logits");
                }
                float[][] rows = softmaxRows(logits, numClasses);
                System.arraycopy(rows, 0, out, from, rows.length);
            }
        }
        return out;
    }

    /**
     * {@code block} run on at most {@code chunk} clips at a time, their outputs joined: for a DJL
     * {@code Predictor}, whose one forward pass would otherwise hold every clip's activations at
     * once, so that its memory beyond the input does not grow with the clips per video.
     */
    public static Block chunked(Block block, int chunk) {
        return chunked(block, chunk, null);
    }

    /**
     * As {@link #chunked(Block, int)}, each chunk's forward pass given {@code params} (e.g.
     * {@link dev.kinema.nn.PreLogits#params()} for the features the classifier takes).
     */
    public static Block chunked(Block block, int chunk, PairList<String, Object> params) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        return new LambdaBlock(input -> {
            NDArray clips = input.singletonOrThrow();
            NDManager owner = clips.getManager();
            int n = Math.toIntExact(clips.getShape().get(0));
            if (n <= chunk) {
                return block.forward(new ParameterStore(owner, false), input, false, params);
            }
            NDList parts = new NDList();
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                try (NDManager step = owner.newSubManager()) {
                    NDArray part = clips.get(new NDIndex("{}:{}", from, to));
                    part.attach(step);
                    NDArray out = block.forward(new ParameterStore(step, false), new NDList(part), false, params).singletonOrThrow();
                    out.attach(owner); // keeps the outputs, frees the chunk's activations
                    parts.add(out);
                }
            }
            NDArray joined = NDArrays.concat(parts);
            parts.close();
            return new NDList(joined);
        }, "chunked");
    }

    /** The softmax of N×classes {@code logits}, one row per clip. */
    static float[][] softmaxRows(NDArray logits, int numClasses) {
        int n = Math.toIntExact(logits.getShape().get(0));
        float[] flat = logits.softmax(1).toFloatArray();
        float[][] out = new float[n][numClasses];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * numClasses, out[i], 0, numClasses);
        }
        return out;
    }
}
