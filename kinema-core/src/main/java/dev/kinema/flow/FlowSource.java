package dev.kinema.flow;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a loader gets optical flow: a precomputed cache ({@code kinema flow}) or flow computed on
 * the fly. Loaders depend only on this, so a cache is read transparently when there is one.
 */
public interface FlowSource {
    /**
     * The flow of {@code video}.
     *
     * @throws IOException naming the file and the reason, if the flow cannot be read or computed
     */
    FlowVideo flowOf(Path video) throws IOException;
}
