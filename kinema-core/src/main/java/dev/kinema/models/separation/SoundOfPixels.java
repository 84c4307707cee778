package dev.kinema.models.separation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.kinema.audio.SeparationSpectra;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.frame.FrameModels;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.PreLogits;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;

/**
 * {@code sound-of-pixels} (Zhao et al. 2018, "The Sound of Pixels"), small: a frame network (the
 * frame models' small 2D CNN on every frame, {@link FrameModels#singleFrame}'s features) pooled
 * over space and time to a K-vector v per video (the classifier's K outputs: {@code numClasses}
 * is K), an {@link AudioUNet} giving K channels s_k over the mixture's log-frequency magnitude, and
 * the synthesizer: the mask logit of a video is {@code sum_k v_k s_k + b}, sigmoid applied by the
 * loss and at inference. (The paper's synthesizer weighs each channel, {@code sum_k a_k v_k s_k};
 * here v is the output of a linear layer, whose rows already scale each channel, so a_k would be
 * redundant, and {@code resetClassifier} can change K without a stale a_k.)
 *
 * <p>It keeps the uniform model API: given clips alone (N×3×T×H×W) it returns the visual
 * K-vectors, so {@code forwardFeatures}, {@code forwardHead(preLogits)} and
 * {@code resetClassifier} work as for any classifier; given clips and the mixture's log magnitude
 * (N×1×F×T, each clip with the mixture it is in), it returns mask logits N×1×F×T.
 */
public final class SoundOfPixels {
    /** K by default: the visual vector's and the U-Net's channels. */
    public static final int DEFAULT_CHANNELS = 16;
    /** The U-Net's widths by level, tiny for two cores. */
    static final int[] UNET_WIDTHS = {16, 32, 64};

    private SoundOfPixels() {}

    /** The spectrograms the model is built for: Kinema's separation defaults. */
    public static SeparationSpectra spectra() {
        return SeparationSpectra.defaults();
    }

    static VideoModel build(ModelConfig c) {
        SeparationSpectra spectra = spectra();
        ModelConfig frames = c.toBuilder().optBackbone(c.backbone().orElse("small")).build();
        Block visual = FrameModels.singleFrame(frames).features();
        AudioUNet unet = new AudioUNet(c.layers(), UNET_WIDTHS, c.numClasses());
        Features features = new Features(visual, unet, new Shape(1, 1, spectra.logBins(), spectra.frames()));
        return new VideoModel("sound-of-pixels", c, features, new Synthesizer(LinearHead.pooled(c.numClasses())));
    }

    /** The visual network on the clips, and the U-Net on the mixture when it is given. */
    static final class Features extends AbstractBlock implements Profiled {
        private final Block visual;
        private final AudioUNet unet;
        private final Shape spectrogram;

        Features(Block visual, AudioUNet unet, Shape spectrogram) {
            this.visual = addChildBlock("visual", visual);
            this.unet = addChildBlock("unet", unet);
            this.spectrogram = spectrogram;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList out = visual.forward(ps, new NDList(inputs.get(0)), training, params);
            if (inputs.size() > 1) {
                out.add(unet.forward(ps, new NDList(inputs.get(1)), training, params).singletonOrThrow());
            }
            return out;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            visual.initialize(manager, dataType, inputShapes[0]);
            unet.initialize(manager, dataType, inputShapes.length > 1 ? inputShapes[1]
                    : new Shape(inputShapes[0].get(0)).addAll(spectrogram.slice(1)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape v = visual.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            return inputShapes.length > 1 ? new Shape[] {v, unet.getOutputShapes(new Shape[] {inputShapes[1]})[0]}
                    : new Shape[] {v};
        }

        /** The visual path on the clip, and the U-Net on the spectrogram it is built for (its cost counts per clip). */
        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            profiler.visit(unet, AudioUNet.spectrogramMap(spectrogram.get(2), spectrogram.get(3)));
            return profiler.visit(visual, in);
        }

        @Override
        public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
            profiler.rows(Profiler.childName(name, "unet"), unet, AudioUNet.spectrogramMap(spectrogram.get(2), spectrogram.get(3)));
            return profiler.rows(Profiler.childName(name, "visual"), visual, in);
        }
    }

    /**
     * The visual head (pool, flatten, linear to K) and, when the U-Net's channels come along, the
     * synthesizer: a bias b, mask logit {@code sum_k v_k s_k + b}.
     */
    static final class Synthesizer extends AbstractBlock implements Profiled {
        private final Block visual;
        private final Parameter bias;

        Synthesizer(Block visual) {
            this.visual = addChildBlock("visual", visual);
            this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0f)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList v = visual.forward(ps, new NDList(inputs.get(0)), training, params);
            if (inputs.size() < 2 || PreLogits.requested(params)) {
                return v;
            }
            NDArray k = v.singletonOrThrow();
            NDArray b = ps.getValue(bias, k.getDevice(), training);
            NDArray s = inputs.get(1);
            NDArray scaled = k.reshape(k.getShape().get(0), k.getShape().get(1), 1, 1);
            return new NDList(s.mul(scaled).sum(new int[] {1}, true).add(b));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            visual.initialize(manager, dataType, inputShapes[0]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape v = visual.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            if (inputShapes.length < 2) {
                return new Shape[] {v};
            }
            Shape s = inputShapes[1];
            return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
        }

        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            FeatureMap out = profiler.visit(visual, in);
            profiler.count(1, 0);
            return out;
        }

        @Override
        public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
            FeatureMap out = profiler.rows(Profiler.childName(name, "visual"), visual, in);
            profiler.count(1, 0);
            return out;
        }
    }
}
