package dev.kinema.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** A stand-in for the model zoo: a one-layer 3D CNN, so training tests do not depend on real models. */
final class TestModels {
    static final String NAME = "test-conv";

    private TestModels() {}

    /** conv 3→6 (3×3×3) → BN → ReLU → global average pool → linear. */
    static Block smallConv(int numClasses) {
        return new SequentialBlock()
                .add(Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1, 1, 1)).setFilters(6)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool3dBlock())
                .add(Linear.builder().setUnits(numClasses).build());
    }

    /** Knows only {@value #NAME}. */
    static ModelFactory factory() {
        return (name, numClasses, frames, size) -> {
            if (!NAME.equals(name)) {
                throw new IllegalArgumentException("unknown model '" + name + "'");
            }
            return smallConv(numClasses);
        };
    }
}
