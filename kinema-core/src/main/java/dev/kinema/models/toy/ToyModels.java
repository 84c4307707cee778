package dev.kinema.models.toy;

import ai.djl.ndarray.types.Shape;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PerFrame;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.TimeToChannels;

/**
 * The lecture's three toy networks on 3×20×64×64 clips, made to compare how receptive fields grow:
 * Conv(3→12), Pool(4), Conv(12→24), global average pool, plus a linear classifier so they can be
 * trained. Their layer tables reproduce the lecture's size and receptive-field tables.
 */
final class ToyModels {
    private ToyModels() {}

    /** 2D layers on each frame; time is fused only by the global pool at the end. */
    static VideoModel lateFusion(ModelConfig c) {
        LayerFactory layers = c.layers();
        NamedSequential frameNet = NamedSequential.layers()
                .add("conv1", layers.convNormAct(ConvSpec.conv2d(c.channels(), 12, 3)))
                .add("pool1", Pooling.max(new Shape(4, 4)))
                .add("conv2", layers.convNormAct(ConvSpec.conv2d(12, 24, 3)));
        return new VideoModel("toy-late-fusion", c, new PerFrame(frameNet), LinearHead.pooled(c.numClasses()));
    }

    /** All frames stacked as channels; the first 2D convolution fuses time at once. */
    static VideoModel earlyFusion(ModelConfig c) {
        LayerFactory layers = c.layers();
        NamedSequential features = NamedSequential.layers()
                .add("fold", new TimeToChannels())
                .add("conv1", layers.convNormAct(ConvSpec.conv2d((long) c.channels() * c.frames(), 12, 3)))
                .add("pool1", Pooling.max(new Shape(4, 4)))
                .add("conv2", layers.convNormAct(ConvSpec.conv2d(12, 24, 3)));
        return new VideoModel("toy-early-fusion", c, features, LinearHead.pooled(c.numClasses()));
    }

    /** 3D convolution and pooling: space and time grow together. */
    static VideoModel cnn3d(ModelConfig c) {
        LayerFactory layers = c.layers();
        NamedSequential features = NamedSequential.layers()
                .add("conv1", layers.convNormAct(ConvSpec.conv3d(c.channels(), 12, 3, 3, 3)))
                .add("pool1", Pooling.max(new Shape(4, 4, 4)))
                .add("conv2", layers.convNormAct(ConvSpec.conv3d(12, 24, 3, 3, 3)));
        return new VideoModel("toy-3d", c, features, LinearHead.pooled(c.numClasses()));
    }
}
