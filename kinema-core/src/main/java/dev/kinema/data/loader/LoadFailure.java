package dev.kinema.data.loader;

import java.nio.file.Path;

/** A video the loader skipped, and why. */
public record LoadFailure(Path path, int epoch, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason + " (epoch " + epoch + ")";
    }
}
