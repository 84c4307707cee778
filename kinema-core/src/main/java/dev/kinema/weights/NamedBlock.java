package dev.kinema.weights;

/**
 * A block that has a name to give in weight-loading messages ("... does not fit c3d"), as
 * {@code dev.kinema.models.VideoModel} does. It lets this package name a model without importing
 * the packages that define models, which sit above it.
 */
public interface NamedBlock {
    /** The name, e.g. a model's registry name. */
    String name();
}
