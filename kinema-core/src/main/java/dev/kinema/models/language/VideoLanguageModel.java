package dev.kinema.models.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.KvCache;
import dev.kinema.nn.Mlp;

/**
 * A video-language model in the Video-LLaVA style: a registered video backbone (its pooled
 * pre-logits features, so any family works, frame models included) through a projector, an MLP
 * (Linear-GELU-Linear) to {@code videoTokens} vectors in the word-embedding space of a
 * {@link CausalDecoder}, which reads them where the prompt says {@link WordTokenizer#VIDEO}.
 *
 * <p>Training batches put the video right after {@code <bos>}: token rows are
 * {@code <bos> <video> text...}, and {@link #forward} returns the logits that predict
 * {@code text} (row positions 2 onward), so a loss compares them with those tokens directly.
 */
public final class VideoLanguageModel extends AbstractBlock {
    private final VideoModel encoder;
    private final Mlp projector;
    private final CausalDecoder decoder;
    private final int videoTokens;

    public VideoLanguageModel(VideoModel encoder, CausalDecoder decoder, int videoTokens, long projectorHidden) {
        this.encoder = addChildBlock("encoder", encoder);
        this.decoder = addChildBlock("decoder", decoder);
        this.projector = addChildBlock("projector", new Mlp(videoTokens * decoder.dim(), projectorHidden));
        this.videoTokens = videoTokens;
    }

    public VideoModel encoder() {
        return encoder;
    }

    public Mlp projector() {
        return projector;
    }

    public CausalDecoder decoder() {
        return decoder;
    }

    public int videoTokens() {
        return videoTokens;
    }

    /** Clips N×C×T×H×W to video tokens N×k×D in the word-embedding space. */
    public NDArray videoEmbeddings(ParameterStore parameterStore, NDArray clips, boolean training) {
        NDArray pooled = videoFeatures(parameterStore, clips, training);
        NDArray projected = projector.forward(parameterStore, new NDList(pooled), training).singletonOrThrow();
        return projected.reshape(pooled.getShape().get(0), videoTokens, decoder.dim());
    }

    /** Clips to the encoder's pooled pre-logits features N×E. */
    private NDArray videoFeatures(ParameterStore parameterStore, NDArray clips, boolean training) {
        // A frozen encoder runs in inference mode: its batch-norm statistics must not drift either.
        training = training && encoder.getParameters().values().stream().anyMatch(ai.djl.nn.Parameter::requiresGradient);
        NDList features = encoder.forwardFeatures(parameterStore, new NDList(clips), training);
        return encoder.forwardHead(parameterStore, features, training, true).singletonOrThrow();
    }

    /**
     * The embeddings of a prompt's tokens N×L with its {@code <video>} token (at most one, at the
     * same index in every row) replaced by the video tokens N×k×D: N×(L-1+k)×D. Without a
     * {@code <video>} token the prompt is embedded as it is.
     */
    public NDArray splice(ParameterStore parameterStore, NDArray tokens, NDArray video, int videoId) {
        NDArray words = decoder.embed(parameterStore, tokens);
        long[] first = tokens.get(0).toLongArray();
        int at = -1;
        for (int i = 0; i < first.length; i++) {
            if (first[i] == videoId) {
                if (at >= 0) {
                    throw new IllegalArgumentException("a prompt holds <video> once, this one twice");
                }
                at = i;
            }
        }
        if (at < 0) {
            return words;
        }
        NDList parts = new NDList();
        if (at > 0) {
            parts.add(words.get(new NDIndex(":, :{}", at)));
        }
        parts.add(video);
        if (at + 1 < first.length) {
            parts.add(words.get(new NDIndex(":, {}:", at + 1)));
        }
        return NDArrays.concat(parts, 1);
    }

    /**
     * Inputs: clips N×C×T×H×W and token rows N×L (int64, {@code <bos> <video> text...}); output the
     * logits N×(L-2)×V that predict the text tokens, row positions 2..L-1.
     */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray clips = inputs.get(0);
        NDArray tokens = inputs.get(1);
        NDArray video = videoEmbeddings(parameterStore, clips, training);
        NDArray bos = decoder.embed(parameterStore, tokens.get(new NDIndex(":, :1")));
        NDArray text = decoder.embed(parameterStore, tokens.get(new NDIndex(":, 2:")));
        NDArray sequence = NDArrays.concat(new NDList(bos, video, text), 1);
        NDArray logits = decoder.forwardEmbeddings(parameterStore, sequence, training, null);
        long length = tokens.getShape().get(1);
        return new NDList(logits.get(new NDIndex(":, {}:{}", videoTokens, videoTokens + length - 2)));
    }

    /** Next-token logits for embeddings N×L×D after the {@code cache}'s tokens (appended to it). */
    public NDArray step(ParameterStore parameterStore, NDArray embeddings, KvCache cache) {
        return decoder.forwardEmbeddings(parameterStore, embeddings, false, cache);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape clips = inputShapes[0];
        encoder.initialize(manager, dataType, clips);
        long n = clips.get(0);
        decoder.initialize(manager, dataType, new Shape(n, 2));
        long width;
        // The pre-logits width is the head's business (hidden layers, two streams): measure it on one zero clip.
        try (NDManager probe = manager.newSubManager()) {
            NDArray zeros = probe.zeros(new Shape(1).addAll(clips.slice(1)), dataType);
            width = videoFeatures(new ParameterStore(probe, false), zeros, false).getShape().get(1);
        }
        projector.initialize(manager, dataType, new Shape(n, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[1].get(0), inputShapes[1].get(1) - 2, decoder.vocabulary())};
    }
}
