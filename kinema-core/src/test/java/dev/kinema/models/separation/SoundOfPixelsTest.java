package dev.kinema.models.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.TinyModels;
import dev.kinema.models.VideoModel;
import org.junit.jupiter.api.Test;

/** sound-of-pixels: the visual K-vector alone, the mask with the mixture, its size, and gradients into both networks. */
class SoundOfPixelsTest {
    @Test
    void clipsGiveTheVisualVectorAndClipsWithAMixtureGiveAMask() {
        VideoModel model = ModelRegistry.create("sound-of-pixels", 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(2).addAll(model.inputShape()));
            assertEquals(model.parameterCount(), TinyModels.trainableParameters(model));
            assertTrue(model.macs() > 0);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray clips = manager.randomNormal(new Shape(2).addAll(model.inputShape()));
            NDArray mixture = manager.randomNormal(new Shape(2, 1, 64, 64));
            assertEquals(new Shape(2, 8), model.forward(store, new NDList(clips), false).singletonOrThrow().getShape());
            NDArray mask = model.forward(store, new NDList(clips, mixture), false).singletonOrThrow();
            assertEquals(new Shape(2, 1, 64, 64), mask.getShape());
            // The mask depends on the video: two clips over the same mixture get different masks.
            NDArray same = manager.randomNormal(new Shape(1, 1, 64, 64)).repeat(0, 2);
            NDArray masks = model.forward(store, new NDList(clips, same), false).singletonOrThrow();
            assertTrue(masks.get(0).sub(masks.get(1)).abs().max().getFloat() > 1e-6);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = model.forward(store, new NDList(clips, mixture), true).singletonOrThrow();
                collector.backward(out.square().mean());
            }
            int reached = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                String name = p.getKey();
                // the U-Net's first level, the frame network's convolutions, the synthesizer's bias
                boolean first = name.contains("down1") || name.contains("visual") && name.contains("conv")
                        || name.equals("head_bias");
                if (first && p.getValue().requiresGradient()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    assertTrue(g.abs().sum().getFloat() > 0, "no gradient reaches " + name);
                    reached++;
                }
            }
            assertTrue(reached >= 3, reached + " parameters checked of " + model.getParameters().keys());
        }
    }
}
