package dev.kinema.train;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.eval.StreamClassifier;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained run of a causal streaming model as a {@link StreamClassifier}: what {@code kinema stream}
 * runs on a live input.
 *
 * <pre>{@code
 * try (TrainedStream run = TrainedStream.open(Path.of("runs/stream"));
 *      FrameSource frames = FrameSource.live("-", LiveOptions.builder().optSize(run.classifier().input().decodeSize()).build())) {
 *     run.classifier().run(frames, 8, 3, step -> System.out.println(step));
 * }
 * }</pre>
 */
public final class TrainedStream implements AutoCloseable {
    private final Model model;
    private final StreamClassifier classifier;

    private TrainedStream(Model model, StreamClassifier classifier) {
        this.model = model;
        this.classifier = classifier;
    }

    /** The run in {@code run}; its model must be causal (a {@code stream-*} model). */
    public static TrainedStream open(Path run) throws IOException {
        RunDir dir = RunDir.open(run);
        Model model = Model.newInstance(dir.config().model());
        try {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            return new TrainedStream(model, new StreamClassifier(block, dir.input(), dir.labels()));
        } catch (IllegalArgumentException e) {
            model.close();
            throw new IllegalArgumentException(run + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public StreamClassifier classifier() {
        return classifier;
    }

    @Override
    public void close() {
        model.close();
    }
}
