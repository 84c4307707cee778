package dev.kinema.models.detection;

import ai.djl.ndarray.types.Shape;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.RoiHead;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;

/** Spatio-temporal action detectors: a 3D backbone and the AVA RoI head. */
final class DetectionModels {
    /** Hidden width of the RoI head (MMAction2's AVA heads go straight to the classes; one layer helps a tiny backbone). */
    static final int HIDDEN = 64;
    /** RoIAlign's output per side, as SlowFast's AVA configs (7) scaled to a stride-8 map of small clips. */
    static final int RESOLUTION = 4;

    private DetectionModels() {}

    /**
     * A small 3D CNN that keeps the map fine enough for RoIAlign (stride 8, no temporal stride, as
     * SlowFast's AVA models keep res5 at stride 16 by dilation): Conv3D 16 (stride 1×2×2), Conv3D 32,
     * MaxPool3D(1×2×2), Conv3D 64 (stride 1×2×2), each with batch norm and ReLU; then the RoI head.
     */
    static VideoModel roiTiny3d(ModelConfig c) {
        LayerFactory layers = c.layers();
        Shape k = new Shape(3, 3, 3);
        Shape pad = new Shape(1, 1, 1);
        NamedSequential backbone = NamedSequential.layers()
                .add("conv1", layers.convNormAct(new ConvSpec(3, c.channels(), 16, k, new Shape(1, 2, 2), pad, false)))
                .add("conv2", layers.convNormAct(ConvSpec.conv3d(16, 32, 3, 3, 3)))
                .add("pool2", Pooling.max(new Shape(1, 2, 2)))
                .add("conv3", layers.convNormAct(new ConvSpec(3, 32, 64, k, new Shape(1, 2, 2), pad, false)));
        return new VideoModel("roi-tiny-3d", c, new RoiBackbone(backbone), RoiHead.of(c.numClasses(), HIDDEN, RESOLUTION));
    }
}
