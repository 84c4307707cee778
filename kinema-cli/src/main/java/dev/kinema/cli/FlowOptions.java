package dev.kinema.cli;

import dev.kinema.flow.FlowCache;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowSettings;
import dev.kinema.flow.FlowSource;
import dev.kinema.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where models that take optical flow get it: a cache written by {@code kinema flow}
 * ({@code --flow-dir}), or flow computed on the fly ({@code --flow-method}, {@code --flow-size}).
 */
final class FlowOptions {
    /** The two-stream paper's stack: 10 fields. */
    static final int DEFAULT_LENGTH = 10;

    @Option(names = "--flow-dir", paramLabel = "FLOW_DIR",
            description = "Flow cache written by kinema flow (for temporal-stream and two-stream models).")
    Path flowDir;

    @Option(names = "--flow-method", paramLabel = "tvl1|farneback|dis",
            description = "Compute flow on the fly with this method instead of reading a cache.")
    String flowMethod;

    @Option(names = "--flow-size", paramLabel = "PX",
            description = "Short side flow is computed at on the fly (default: the decode size, see --resize).")
    Integer flowSize;

    /**
     * Records these options in a training configuration; a cache given alone also records the
     * method and size it holds, so the run says which flow it was trained on.
     */
    void applyTo(TrainConfig.Builder b) throws IOException {
        if (flowDir != null) {
            b.optFlowDir(flowDir.toString());
        }
        if (flowMethod != null) {
            FlowMethod.parse(flowMethod);
            b.optFlowMethod(flowMethod, flowSize);
        } else if (flowDir != null) {
            FlowSettings cached = FlowCache.open(flowDir).settings();
            b.optFlowMethod(cached.method().id(), cached.size());
        }
    }

    /**
     * The flow source for a run: this command's {@code --flow-dir} or {@code --flow-method} if
     * given, else the run's own; null for a model that takes no flow.
     *
     * @throws IllegalArgumentException when the model takes flow and no source is known
     */
    FlowSource sourceFor(TrainConfig config) throws IOException {
        return config.flowSource(flowDir, flowMethod, flowSize);
    }
}
