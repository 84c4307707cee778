package dev.kinema.cli;

import dev.kinema.train.ModelFactory;

/**
 * The CLI's one place that turns model names into models, for train, eval and classify. Today it
 * knows the training package's built-in {@code tiny-3d}; the model registry plugs in here.
 */
final class Models {
    private Models() {}

    static ModelFactory factory() {
        return ModelFactory.builtIn();
    }
}
