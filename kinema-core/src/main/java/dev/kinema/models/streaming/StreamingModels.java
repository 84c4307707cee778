package dev.kinema.models.streaming;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.videoresnet.VideoResNet;
import dev.kinema.models.x3d.X3d;
import dev.kinema.nn.Causal;
import java.util.Collections;

/**
 * The streaming models: registry networks built as they are and made causal in place by
 * {@link Causal#convert}, so they keep the originals' parameter names (a causal model takes the
 * original's weights, as MoViNet's stream variants share their base's).
 */
final class StreamingModels {
    private StreamingModels() {}

    /** X3D-S with causal depthwise 3x3x3 and stem 5x1x1 convolutions, causal SE and pooling. */
    static VideoModel x3dS(ModelConfig c) {
        return Causal.convert(X3d.build("stream-x3d-s", c));
    }

    /**
     * R(2+1)D-18 with causal 3x1x1 convolutions and no temporal stride: torchvision's network halves T
     * in stages 2 to 4, which a stream (one output per frame) cannot; spatial strides stay.
     */
    static VideoModel r2plus1d18(ModelConfig c) {
        return Causal.convert(VideoResNet.create("stream-r2plus1d-18", c, VideoResNet.Stem.R2PLUS1D,
                Collections.nCopies(4, VideoResNet.ConvMaker.CONV_2PLUS1D), new int[] {2, 2, 2, 2}));
    }
}
