package dev.kinema.models.avsync;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;

/**
 * The part the synchronisation and correspondence networks share: a packed audio-visual clip
 * N×4×T×H×W (RGB, then the log-mel plane of {@code audio.PackedAudio}) split into its two inputs,
 * each run through its own trunk: the visual 3D CNN to a feature map N×Cv×T'×H'×W' that keeps time
 * and space, and the audio CNN to N×Ca×F'×T''. What they do with the two maps is the subclass's.
 */
abstract class PackedAudioVisual extends AbstractBlock implements Profiled {
    static final int RGB = 3;
    static final int CHANNELS = RGB + 1;

    final Block visual;
    final Block audio;
    private final String label;

    PackedAudioVisual(String label, Block visual, Block audio) {
        this.label = label;
        this.visual = addChildBlock("visual", visual);
        this.audio = addChildBlock("audio", audio);
    }

    /** The visual map (N×Cv×T'×H'×W') and the audio map (N×Ca×F'×T'') of packed clips. */
    final NDArray[] trunks(ParameterStore store, NDArray packed, boolean training) {
        requirePacked(packed.getShape());
        NDArray rgb = packed.get(new NDIndex(":, 0:{}", RGB));
        NDArray plane = packed.get(new NDIndex(":, {}:{}", RGB, CHANNELS));
        return new NDArray[] {visual.forward(store, new NDList(rgb), training).singletonOrThrow(),
            audio.forward(store, new NDList(plane), training).singletonOrThrow()};
    }

    /** The shapes of the two trunks' inputs, for a packed clip shape. */
    final Shape[] inputs(Shape packed) {
        requirePacked(packed);
        Shape rest = packed.slice(2);
        return new Shape[] {new Shape(packed.get(0), RGB).addAll(rest), new Shape(packed.get(0), 1).addAll(rest)};
    }

    /** The shapes of the two trunks' outputs. */
    final Shape[] trunkShapes(Shape packed) {
        Shape[] in = inputs(packed);
        return new Shape[] {visual.getOutputShapes(new Shape[] {in[0]})[0], audio.getOutputShapes(new Shape[] {in[1]})[0]};
    }

    private void requirePacked(Shape packed) {
        if (packed.dimension() != 5 || packed.get(1) != CHANNELS) {
            throw new IllegalArgumentException("a " + label + " model takes packed audio-visual clips N x " + CHANNELS
                    + " x T x H x W (RGB and the log-mel plane), got " + packed);
        }
    }

    /** The trunks' maps for the profiler: the visual one, then the audio one. */
    final FeatureMap[] profileTrunks(FeatureMap in, Profiler profiler, String name) {
        long[] s = in.shape();
        FeatureMap rgb = FeatureMap.ofClip(new Shape(RGB, s[1], s[2], s[3]));
        FeatureMap plane = FeatureMap.ofClip(new Shape(1, s[1], s[2], s[3]));
        if (name == null) {
            return new FeatureMap[] {profiler.visit(visual, rgb), profiler.visit(audio, plane)};
        }
        return new FeatureMap[] {profiler.rows(Profiler.childName(name, "visual"), visual, rgb),
            profiler.rows(Profiler.childName(name, "audio"), audio, plane)};
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }
}
