package dev.kinema.data.loader;

import dev.kinema.audio.PackedAudio;

import ai.djl.ndarray.types.Shape;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.flow.FlowSource;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;

/**
 * How a model's clips are made, the same in training, evaluation and classification: {@code frames}
 * frames taken every {@code frameStride} source frames (or resampled to {@code targetFps}), decoded
 * with the short side scaled to {@code resize} (or to exactly {@code resize}×{@code resizeWidth}),
 * cropped to {@code size}×{@code size} and normalised with {@code normalization} (by default
 * PyTorchVideo's Kinetics statistics, what Kinema trains with) into 3×T×H×W. A run's model card
 * ({@code RunDir.input()}) says which, so imported weights get the preprocessing they were trained with.
 *
 * <p>Flow models ({@link Modality#FLOW}, {@link Modality#RGB_FLOW}) take stacks of {@code frames}
 * consecutive flow fields (L), 2×L×H×W or, with the frames, 5×L×H×W; a clip is then a window of
 * L + 1 frames whose first frame starts the stack.
 *
 * @param frames frames per clip (T), or flow fields per stack (L) for flow input
 * @param frameStride source frames between clip frames, or null when {@code targetFps} is set
 * @param targetFps the rate videos are resampled to, or null when {@code frameStride} is set
 * @param size the crop's side in pixels
 * @param resize the short side frames are decoded to, at least {@code size}
 * @param modality frames, flow, or both
 * @param normalization the per-channel mean and std of the frames; null means Kinetics
 * @param resizeWidth null to keep the aspect ratio (the short side becomes {@code resize}), else
 *     the width frames are decoded to, {@code resize} being their height (torchvision's 128×171)
 */
public record ModelInput(int frames, Integer frameStride, Double targetFps, int size, int resize, Modality modality,
        Normalization normalization, Integer resizeWidth) {

    /** Kinetics normalisation, short-side resize. */
    public ModelInput(int frames, Integer frameStride, Double targetFps, int size, int resize, Modality modality) {
        this(frames, frameStride, targetFps, size, resize, modality, Normalization.KINETICS, null);
    }

    /** RGB input. */
    public ModelInput(int frames, Integer frameStride, Double targetFps, int size, int resize) {
        this(frames, frameStride, targetFps, size, resize, Modality.RGB);
    }

    public ModelInput {
        if (modality == null) {
            modality = Modality.RGB;
        }
        if (normalization == null) {
            normalization = Normalization.KINETICS;
        }
        if (resizeWidth != null && resizeWidth < size) {
            throw new IllegalArgumentException("need resize width >= size, got size " + size + ", resize width " + resizeWidth);
        }
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if ((frameStride == null) == (targetFps == null)) {
            throw new IllegalArgumentException("give exactly one of a frame stride and a target fps");
        }
        if (frameStride != null && frameStride < 1) {
            throw new IllegalArgumentException("frame stride must be at least 1, got " + frameStride);
        }
        if (targetFps != null && !(targetFps > 0 && Double.isFinite(targetFps))) {
            throw new IllegalArgumentException("fps must be a finite number > 0, got " + targetFps);
        }
        if (size < 2 || resize < size) {
            throw new IllegalArgumentException("need size >= 2 and resize >= size, got size " + size + ", resize " + resize);
        }
    }

    /** The usual decode size for a crop of {@code size}: 8/7 of it (128 for 112), as in C3D and X3D. */
    public static int defaultResize(int size) {
        return (int) Math.round(size * 8 / 7.0);
    }

    /** A sampler builder with this clip length and stride (or fps); the caller sets mode and clips. */
    public ClipSamplers.Builder sampler() {
        ClipSamplers.Builder b = ClipSamplers.builder().clipLen(modality.needsFlow() ? frames + 1 : frames);
        return frameStride != null ? b.frameStride(frameStride) : b.targetFps(targetFps);
    }

    public FrameSize decodeSize() {
        return resizeWidth == null ? FrameSize.shortSide(resize) : FrameSize.exact(resizeWidth, resize);
    }

    /** Normalisation and layout: this input's statistics, C×T×H×W. */
    public ToTensor toTensor() {
        return new ToTensor(normalization, Layout.CTHW);
    }

    /** This input with other normalisation statistics and decode size (see {@link #resizeWidth}). */
    public ModelInput withPreprocessing(Normalization normalization, int resize, Integer resizeWidth) {
        return new ModelInput(frames, frameStride, targetFps, size, resize, modality, normalization, resizeWidth);
    }

    /**
     * Sets what a loader needs to make this input's clips: the decode size, the normalisation, and
     * for flow input the modality, the stack length and where flow comes from.
     *
     * @param flow the flow source; may be null for RGB input
     * @throws IllegalArgumentException when flow input has no flow source
     */
    public ClipLoader.Builder configure(ClipLoader.Builder loader, FlowSource flow) {
        loader.optDecodeSize(decodeSize()).optToTensor(toTensor()).optModality(modality);
        if (modality.needsFlow()) {
            loader.optFlow(requireFlow(flow), frames);
        }
        if (modality.needsAudio()) {
            loader.optAudio(PackedAudio.SAMPLE_RATE);
        }
        return loader;
    }

    /**
     * The decoder of this input's clips outside a loader (one video at a time, as classification
     * and a service do): its decode size, modality and stack length, default flow normalisation.
     *
     * @param flow the flow source; may be null for RGB input
     * @throws IllegalArgumentException when flow input has no flow source
     */
    public ClipDecoder decoder(ClipSampler sampler, FlowSource flow) {
        ClipDecoder decoder = new ClipDecoder(ReaderOptions.builder().optSize(decodeSize()).build(), sampler, modality,
                modality.needsFlow() ? requireFlow(flow) : null, frames, FlowNormalization.DEFAULT);
        return modality.needsAudio() ? decoder.withAudio(PackedAudio.SAMPLE_RATE) : decoder;
    }

    /** The collate step of this input: its modality, normalisation and C×T×H×W layout. */
    public ClipCollate collate() {
        return new ClipCollate(modality, toTensor());
    }

    private FlowSource requireFlow(FlowSource flow) {
        if (flow == null) {
            throw new IllegalArgumentException("this model takes optical flow (" + modality
                    + " clips): give a flow cache (--flow-dir) or a method to compute it (--flow-method)");
        }
        return flow;
    }

    /** The model's input shape for {@code batch} clips: N×C×T×size×size (C = 3, 2, 5, 1 or 4). */
    public Shape shape(int batch) {
        return new Shape(batch, modality.channels(), frames, size, size);
    }
}
