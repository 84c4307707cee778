package dev.kinema.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.models.VideoModel;
import dev.kinema.weights.ParameterNames;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts a new run's model from the features of a trained run, as AVA detectors start from a
 * Kinetics classifier's backbone (SlowFast, MMAction2): e.g. {@code roi-tiny-3d} trained for
 * action detection from an {@code roi-tiny-3d} trained to classify whole clips. The copy is strict
 * ({@link ParameterNames#copy}: every feature parameter by name and shape, or nothing); the head is
 * new, so the two runs may have different classes.
 */
public final class BackboneInit {
    private BackboneInit() {}

    /**
     * Copies {@code run}'s trained features (its last checkpoint) into {@code model}'s.
     *
     * @throws IllegalArgumentException naming the run when either model has no features and head, or
     *     when the features differ in any name or shape
     * @return how many tensors were copied
     */
    public static int fromRun(Block model, Path run) throws IOException {
        if (!(model instanceof VideoModel target)) {
            throw new IllegalArgumentException(run + ": --init RUN copies a run's features into a model made of features"
                    + " and a head; this one is not");
        }
        RunDir dir = RunDir.open(run);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block trained = dir.loadModel(manager, ModelFactory.registry());
            if (!(trained instanceof VideoModel source)) {
                throw new IllegalArgumentException(run + ": its model (" + dir.config().model() + ") has no features to copy");
            }
            return ParameterNames.copy(source.features(), target.features(), run);
        }
    }
}
