package dev.kinema.flow;

import java.io.IOException;

/**
 * A flow cache entry computed from another video than the one now at its path (the dataset was
 * re-rendered or edited after {@code kinema flow}). Unlike an unreadable video, this is not one bad
 * sample to skip: the whole cache is out of date, so training refuses to go on with it.
 */
public final class StaleFlowException extends IOException {
    public StaleFlowException(String message) {
        super(message);
    }
}
