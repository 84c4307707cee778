package dev.kinema.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * {@code tiny-3d}: a two-layer 3D CNN for smoke tests, demos and CI (4,176 + 17 × classes
 * parameters; 3.1 M multiply-adds for an 8×32×32 clip). It trains in seconds on 32-64 px clips and
 * still needs its 3×3×3 kernels to tell motion direction apart, so it shows whether the whole
 * pipeline (sampling, augmentation, schedule, checkpoints) works before a real model spends hours
 * on it.
 *
 * <p>conv 3→8 (3×3×3, spatial stride 2) → BN → ReLU → max pool 1×2×2 → conv 8→16 (3×3×3) → BN →
 * ReLU → global average pool → linear 16→C. Time keeps its full resolution, so motion between
 * neighbouring frames stays visible to both convolutions. Any T, H, W ≥ 2 works.
 */
public final class TinyVideoNet {
    public static final String NAME = "tiny-3d";

    private TinyVideoNet() {}

    /** A new, uninitialised {@code tiny-3d} with {@code numClasses} outputs. */
    public static Block create(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        return new SequentialBlock()
                .add(conv(8, 2))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool3dBlock(new Shape(1, 2, 2), new Shape(1, 2, 2)))
                .add(conv(16, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool3dBlock())
                .add(Linear.builder().setUnits(numClasses).build());
    }

    private static Block conv(int filters, int spatialStride) {
        return Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1, 1, 1))
                .optStride(new Shape(1, spatialStride, spatialStride)).setFilters(filters).build();
    }
}
