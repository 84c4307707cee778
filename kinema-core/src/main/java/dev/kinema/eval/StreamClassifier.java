package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.nn.StreamSession;
import dev.kinema.video.FrameSource;
import dev.kinema.video.SourceFrame;
import dev.kinema.video.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Live recognition with a causal streaming model (a {@code stream-*} model of the registry): each
 * frame of a {@link FrameSource} goes through the network once, the stream buffers carry what the
 * causal layers need of the past, and every {@code every} frames the classifier's scores (which
 * cover everything seen since the start, through the cumulative average pooling) are reported.
 * Memory stays that of one frame plus the fixed buffers, however long the input.
 *
 * <p>Each frame is decoded at the input's decode size, centre-cropped to the model's size and
 * normalised with the run's statistics, as {@link VideoClassifier} prepares a clip's frames.
 */
public final class StreamClassifier {
    private final Block model;
    private final ModelInput input;
    private final List<String> classes;

    /** One report: frame index (from 0), its time in seconds, the top classes, and this frame's latency. */
    public record Step(long frame, double seconds, List<VideoClassifier.LabelProbability> top, double latencyMs,
            double framesPerSecond) {}

    /** A summary of a finished stream: frames, dropped frames, mean latency per frame. */
    public record Summary(long frames, long dropped, double meanLatencyMs) {}

    public StreamClassifier(Block model, ModelInput input, List<String> classes) {
        StreamSession.layersOf(model).stream().findAny().orElseThrow(() -> new IllegalArgumentException(
                "the run's model has no causal streaming layers; train a stream-* model (kinema models)"));
        this.model = model;
        this.input = input;
        this.classes = List.copyOf(classes);
    }

    /** The options a live source should decode with for this model (its decode size). */
    public ModelInput input() {
        return input;
    }

    /**
     * Runs the stream to its end, reporting a {@link Step} after every {@code every}-th frame (and
     * after the last one); {@code top} classes per step.
     */
    public Summary run(FrameSource frames, int every, int top, Consumer<Step> steps) {
        if (every < 1 || top < 1) {
            throw new IllegalArgumentException("--every and the number of top classes must be >= 1, got " + every
                    + " and " + top);
        }
        ToTensor toTensor = input.toTensor();
        Crop crop = Crop.center(input.size());
        long count = 0;
        double totalMs = 0;
        long started = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(); StreamSession stream = StreamSession.open(model)) {
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] last = null;
            SourceFrame lastFrame = null;
            for (Optional<SourceFrame> next = frames.next(); next.isPresent(); next = frames.next()) {
                SourceFrame f = next.get();
                long t0 = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    VideoFrames one = crop.apply(new VideoFrames(f.rgb(), 1, f.height(), f.width()), null);
                    NDArray clip = toTensor.apply(step, one).expandDims(0);
                    last = model.forward(parameters, new NDList(clip), false).singletonOrThrow().softmax(1).toFloatArray();
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                totalMs += ms;
                count++;
                lastFrame = f;
                if (count % every == 0) {
                    steps.accept(step(f, last, top, ms, count, started));
                }
            }
            if (lastFrame != null && count % every != 0) {
                steps.accept(step(lastFrame, last, top, 0, count, started));
            }
        }
        return new Summary(count, frames.dropped(), count == 0 ? 0 : totalMs / count);
    }

    private Step step(SourceFrame f, float[] probabilities, int top, double ms, long count, long started) {
        List<VideoClassifier.LabelProbability> best = new ArrayList<>();
        for (int k : Metrics.topK(probabilities, Math.min(top, probabilities.length))) {
            best.add(new VideoClassifier.LabelProbability(k < classes.size() ? classes.get(k) : Integer.toString(k),
                    probabilities[k]));
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Step(f.index(), f.timestamp(), best, ms, count / Math.max(elapsed, 1e-9));
    }
}
