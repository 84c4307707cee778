package dev.kinema.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.StreamSession;
import java.util.Arrays;

/**
 * Per-frame cost of live recognition with a causal model, the two ways it can run: streaming (each
 * new frame through the network once, the stream buffers carrying the past) and sliding windows
 * (each new frame, the whole window of the last T frames through the network again, as a
 * non-streaming model must). Random frames, inference mode, batch 1; each frame in its own manager.
 */
public final class StreamBenchmark {
    /** Median and mean milliseconds per frame, frames per second (from the median), and the carried state. */
    public record Result(String model, String mode, int size, int window, int frames, double medianMs, double meanMs,
            double framesPerSecond, long carriedValues) {}

    private StreamBenchmark() {}

    /**
     * Streams {@code frames} frames (after {@code warmup} untimed ones) through {@code model} at
     * {@code size}², then runs a {@code window}-frame sliding window as many times.
     */
    public static Result[] run(String model, int size, int window, int frames, int warmup) {
        VideoModel net = ModelRegistry.create(model, ModelConfig.of(400, window, size));
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, window, size, size));
            ParameterStore parameters = new ParameterStore(manager, false);
            double[] streamed = new double[frames];
            long carried;
            try (StreamSession stream = StreamSession.open(net)) {
                for (int i = -warmup; i < frames; i++) {
                    double ms = time(net, parameters, manager, new Shape(1, 3, 1, size, size));
                    if (i >= 0) {
                        streamed[i] = ms;
                    }
                }
                carried = stream.carriedValues();
            }
            double[] sliding = new double[frames];
            for (int i = -warmup; i < frames; i++) {
                double ms = time(net, parameters, manager, new Shape(1, 3, window, size, size));
                if (i >= 0) {
                    sliding[i] = ms;
                }
            }
            return new Result[] {result(model, "stream", size, 1, streamed, carried),
                result(model, "sliding-window", size, window, sliding, 0)};
        }
    }

    private static double time(VideoModel net, ParameterStore parameters, NDManager manager, Shape input) {
        try (NDManager step = manager.newSubManager()) {
            ai.djl.ndarray.NDArray x = step.randomNormal(input);
            long t0 = System.nanoTime();
            net.forward(parameters, new NDList(x), false).singletonOrThrow().toFloatArray();
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static Result result(String model, String mode, int size, int window, double[] ms, long carried) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        return new Result(model, mode, size, window, ms.length, median, Arrays.stream(ms).average().orElse(0),
                1000 / median, carried);
    }
}
