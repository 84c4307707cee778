package dev.kinema.models.cnn3d;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;

/** 3D CNNs: 3D convolution and 3D pooling throughout, fusing time slowly. */
final class Cnn3dModels {
    private Cnn3dModels() {}

    /**
     * A small slow-fusion network: four 3×3×3 conv layers (16, 32, 64, 128 channels) with 1×2×2,
     * 2×2×2 and 2×2×2 max pooling between them, global average pooling and a linear classifier.
     * Time shrinks 4× and space 8× before the global pool; needs T >= 4.
     */
    static VideoModel slowFusion(ModelConfig c) {
        LayerFactory layers = c.layers();
        int[] widths = {16, 32, 64, 128};
        Shape[] pools = {new Shape(1, 2, 2), new Shape(2, 2, 2), new Shape(2, 2, 2)};
        NamedSequential features = NamedSequential.layers();
        long in = c.channels();
        for (int i = 0; i < widths.length; i++) {
            features.add("conv" + (i + 1), layers.convNormAct(ConvSpec.conv3d(in, widths[i], 3, 3, 3)));
            if (i < pools.length) {
                features.add("pool" + (i + 1), Pooling.max(pools[i]));
            }
            in = widths[i];
        }
        return new VideoModel("slow-fusion", c, features, LinearHead.pooled(c.numClasses()));
    }

    /**
     * {@code tiny-3d}: the smallest useful 3D CNN, for fast tests, demos and first experiments on
     * Kinema-Motion. Conv3D(3x3x3, 3->8, spatial stride 2), MaxPool3D(1x2x2), Conv3D(3x3x3, 8->16),
     * global average pool, linear. Time keeps its full resolution, so motion between neighbouring
     * frames stays visible to both convolutions; any T, H, W >= 2 works.
     */
    static VideoModel tiny3d(ModelConfig c) {
        LayerFactory layers = c.layers();
        ConvSpec first = new ConvSpec(3, c.channels(), 8, new Shape(3, 3, 3), new Shape(1, 2, 2), new Shape(1, 1, 1), false);
        NamedSequential features = NamedSequential.layers()
                .add("conv1", layers.convNormAct(first))
                .add("pool1", Pooling.max(new Shape(1, 2, 2)))
                .add("conv2", layers.convNormAct(ConvSpec.conv3d(8, 16, 3, 3, 3)));
        return new VideoModel("tiny-3d", c, features, LinearHead.pooled(c.numClasses()));
    }

    /**
     * C3D (Tran et al., ICCV 2015) as in the lecture's table: conv1 64, conv2 128, conv3a/b 256,
     * conv4a/b 512, conv5a/b 512, all 3×3×3 with padding 1; pool1 1×2×2 and pool2 to pool5 2×2×2
     * (floor, so 3×16×112×112 ends at 512×1×3×3); fc6 and fc7 4096 with dropout 0.5; fc8 the classes.
     * Needs T >= 16 and H, W >= 32.
     */
    static VideoModel c3d(ModelConfig c) {
        LayerFactory layers = c.layers();
        Shape pool = new Shape(2, 2, 2);
        NamedSequential features = NamedSequential.layers();
        conv3x3x3(features, layers, "conv1", c.channels(), 64);
        features.add("pool1", Pooling.max(new Shape(1, 2, 2)));
        conv3x3x3(features, layers, "conv2", 64, 128);
        features.add("pool2", Pooling.max(pool));
        conv3x3x3(features, layers, "conv3a", 128, 256);
        conv3x3x3(features, layers, "conv3b", 256, 256);
        features.add("pool3", Pooling.max(pool));
        conv3x3x3(features, layers, "conv4a", 256, 512);
        conv3x3x3(features, layers, "conv4b", 512, 512);
        features.add("pool4", Pooling.max(pool));
        conv3x3x3(features, layers, "conv5a", 512, 512);
        conv3x3x3(features, layers, "conv5b", 512, 512);
        features.add("pool5", Pooling.max(pool));
        NamedSequential head = NamedSequential.layers()
                .add("flatten", new Flatten())
                .add("fc6", fullyConnected(layers, 4096))
                .add("fc7", fullyConnected(layers, 4096))
                .add("fc8", new LinearClassifier(c.numClasses()));
        return new VideoModel("c3d", c, features, head);
    }

    private static void conv3x3x3(NamedSequential net, LayerFactory layers, String name, long in, long out) {
        net.add(name, layers.convNormAct(ConvSpec.conv3d(in, out, 3, 3, 3)));
    }

    private static NamedSequential fullyConnected(LayerFactory layers, int units) {
        return NamedSequential.unit()
                .add("linear", Linear.builder().setUnits(units).build())
                .add("act", layers.activation())
                .add("dropout", Dropout.builder().optRate(0.5f).build());
    }
}
