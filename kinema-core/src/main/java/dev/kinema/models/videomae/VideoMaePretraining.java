package dev.kinema.models.videomae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.ParameterValues;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.weights.NamedBlock;

/**
 * VideoMAE's pretraining network ({@code PretrainVisionTransformer}): the {@code encoder} runs on
 * the visible tokens of a {@link TubeMask}; {@code encoder_to_decoder} (linear, no bias) takes them
 * to the decoder's width; the learned {@code mask_token} stands for every masked token; each token
 * gets the decoder's sine-cosine position of where it lies in the clip (so the mask tokens sit "at
 * their positions" although, as in the reference, they are appended after the visible ones); the
 * {@code decoder} predicts the pixels of the masked tubelets.
 *
 * <p>Inputs: clips N×C×T×H×W, the visible token numbers N×V and the masked ones N×M (int64, from
 * {@link TubeMask}). Output: N×M×(3·t·p·p), the normalised pixels of each masked tubelet in
 * {@link TubeletPixels}' order, compared with {@link TubeletPixels#normalised} on masked tokens only.
 * Parameter names are the reference's, so {@code encoder.*} is the encoder fine-tuning loads.
 */
public final class VideoMaePretraining extends AbstractBlock implements Profiled, NamedBlock {
    private final String name;
    private final VideoMaeSpec spec;
    private final double maskRatio;
    private final VideoMaeEncoder encoder;
    private final Linear encoderToDecoder;
    private final Parameter maskToken;
    private final VideoMaeDecoder decoder;
    private final TubeletPixels pixels;

    VideoMaePretraining(String name, VideoMaeSpec spec, int channels, double maskRatio) {
        this.name = name;
        this.spec = spec;
        this.maskRatio = maskRatio;
        TubeMask.maskedPerFrame(2, maskRatio); // the ratio's range, checked here rather than at the first batch
        this.encoder = addChildBlock("encoder", new VideoMaeEncoder(spec, channels, false, true, maskRatio));
        this.encoderToDecoder = addChildBlock("encoder_to_decoder",
                Linear.builder().setUnits(spec.decoderDim()).optBias(false).build());
        this.maskToken = addParameter(PositionEmbeddings.learned("mask_token", spec.decoderDim(), 1));
        this.decoder = addChildBlock("decoder", new VideoMaeDecoder(spec, spec.tubeletPixels(channels)));
        this.pixels = new TubeletPixels(spec.tubelet(), spec.patch());
    }

    @Override
    public String name() {
        return name;
    }

    public VideoMaeSpec spec() {
        return spec;
    }

    /** The fraction of each clip's tokens masked. */
    public double maskRatio() {
        return maskRatio;
    }

    /** The encoder, whose parameters are what fine-tuning starts from. */
    public VideoMaeEncoder encoder() {
        return encoder;
    }

    /** How clips are cut into the tubelets the decoder predicts. */
    public TubeletPixels pixels() {
        return pixels;
    }

    /** The token grid T'×H'×W' of clips N×C×T×H×W. */
    public long[] grid(Shape clips) {
        return encoder.patchEmbedding().grid(clips.get(2), clips.get(3), clips.get(4));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray clips = inputs.get(0);
        NDArray visible = inputs.get(1);
        NDArray masked = inputs.get(2);
        NDArray encoded = encoder.forward(ps, new NDList(clips, visible), training).singletonOrThrow();
        NDArray x = encoderToDecoder.forward(ps, new NDList(encoded), training).singletonOrThrow();
        long n = x.getShape().get(0), d = spec.decoderDim();
        long[] g = grid(clips.getShape());
        long l = g[0] * g[1] * g[2];
        long m = masked.getShape().get(1);
        NDArray table = PositionEmbeddings.sinusoid(x.getManager(), l, d).reshape(1, l, d).broadcast(n, l, d);
        NDArray maskTokens = ParameterValues.of(ps, maskToken, x, training).broadcast(n, m, d);
        NDArray all = x.add(TubeMask.gather(table, visible)).concat(maskTokens.add(TubeMask.gather(table, masked)), 1);
        return new NDList(decoder.predict(ps, all, m, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        encoderToDecoder.initialize(manager, dataType, new Shape(1, 1, spec.dim()));
        decoder.initialize(manager, dataType, new Shape(1, 1, spec.decoderDim()));
    }

    /** Masked tokens per clip of shape {@code clips}. */
    public long maskedTokens(Shape clips) {
        long[] g = grid(clips);
        return g[0] * TubeMask.maskedPerFrame(Math.toIntExact(g[1] * g[2]), maskRatio);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape clips = inputShapes[0];
        return new Shape[] {new Shape(clips.get(0), maskedTokens(clips), spec.tubeletPixels((int) clips.get(1)))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap tokens = profiler.visit(encoder, in);
        long[] s = tokens.shape();
        long[] g = {s[1], s[2], s[3]};
        long visible = encoder.tokensSeen(g);
        long masked = g[0] * g[1] * g[2] - visible;
        profiler.count(spec.dim() * spec.decoderDim() + spec.decoderDim(), Math.multiplyExact(visible, spec.dim() * spec.decoderDim()));
        decoder.count(profiler, visible + masked, masked);
        return FeatureMap.ofClip(new Shape(spec.tubeletPixels((int) in.channels()), masked, 1, 1));
    }

    @Override
    public String label(FeatureMap in) {
        return "VideoMAE pretraining(" + name + ", mask " + maskRatio + ")";
    }
}
