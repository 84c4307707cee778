package dev.kinema.flow;

import java.io.IOException;
import java.nio.file.Path;

/** Picks the {@link FlowSource} a loader should use. */
public final class FlowSources {
    private FlowSources() {}

    /**
     * The cache in {@code flowDir} if one is given (refused unless it holds flow made with
     * {@code settings}), else flow computed on the fly with {@code settings}: either way the
     * loader sees the same flow, within the cache's quantisation.
     *
     * @throws IOException if {@code flowDir} is given but is not a cache of {@code settings}
     */
    public static FlowSource of(FlowSettings settings, Path flowDir) throws IOException {
        return flowDir != null ? FlowCache.open(flowDir, settings) : new ComputedFlow(settings);
    }
}
