package dev.kinema.cli;

import dev.kinema.flow.ComputedFlow;
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

    /** Records these options in a training configuration. */
    void applyTo(TrainConfig.Builder b) {
        if (flowDir != null) {
            b.optFlowDir(flowDir.toString());
        }
        if (flowMethod != null) {
            FlowMethod.parse(flowMethod);
            b.optFlowMethod(flowMethod, flowSize);
        }
    }

    /**
     * The flow source for a run: this command's {@code --flow-dir} or {@code --flow-method} if
     * given, else the run's own; null for a model that takes no flow.
     *
     * @throws IllegalArgumentException when the model takes flow and no source is known
     */
    FlowSource sourceFor(TrainConfig config) throws IOException {
        if (!config.modality().needsFlow()) {
            return null;
        }
        if (flowDir != null) {
            return FlowCache.open(flowDir);
        }
        if (flowMethod != null) {
            return computed(flowMethod, flowSize, config.resize());
        }
        if (config.flowDir() != null) {
            return FlowCache.open(Path.of(config.flowDir()));
        }
        if (config.flowMethod() != null) {
            return computed(config.flowMethod(), config.flowSize(), config.resize());
        }
        throw new IllegalArgumentException(config.model() + " takes optical flow: give --flow-dir FLOW_DIR (a cache "
                + "written by kinema flow) or --flow-method tvl1|farneback|dis to compute it on the fly");
    }

    private static FlowSource computed(String method, Integer size, int decodeSize) {
        return new ComputedFlow(FlowSettings.of(FlowMethod.parse(method), size != null ? size : decodeSize));
    }
}
