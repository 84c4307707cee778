package dev.kinema.localization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Crop;
import dev.kinema.eval.Forward;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A clip classifier's class probabilities at regular times through a video: clip {@code j} starts
 * at frame {@code round(j * every * fps)} and samples the model's clip (its frames and stride, or
 * its fps) from there, centre-cropped as in testing. The building block of sliding-window
 * localisation: windows of every length reuse the same clips.
 *
 * @param starts each clip's first frame time, in seconds
 * @param ends just after each clip's last frame, in seconds
 * @param probabilities clips × classes
 * @param labels the classes, in the model's order
 * @param duration the video's length in seconds
 */
public record ClipScores(Path video, double[] starts, double[] ends, float[][] probabilities, List<String> labels, double duration) {
    /** The time at the middle of clip {@code j}. */
    public double centre(int j) {
        return (starts[j] + ends[j]) / 2;
    }

    public int clips() {
        return starts.length;
    }

    /**
     * Scores {@code video} with {@code model} every {@code everySeconds}.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public static ClipScores of(Block model, ModelInput input, List<String> labels, Path video, double everySeconds) {
        return score(model, input, labels, video, (frames, fps, span) -> {
            List<Integer> starts = new ArrayList<>();
            for (int j = 0; ; j++) {
                int start = (int) Math.round(j * everySeconds * fps);
                if (j > 0 && start + span > frames) {
                    return starts;
                }
                starts.add(start);
            }
        });
    }

    /**
     * Scores the clips of {@code video} that start at {@code startSeconds} (a clip that would run
     * past the end starts earlier, to end with the video), in that order.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public static ClipScores at(Block model, ModelInput input, List<String> labels, Path video, double[] startSeconds) {
        return score(model, input, labels, video, (frames, fps, span) -> java.util.Arrays.stream(startSeconds)
                .mapToObj(s -> Math.max(0, Math.min((int) Math.round(s * fps), frames - span))).toList());
    }

    /** Which frames the clips start at, given the video's frames, fps and a clip's span in frames. */
    private interface ClipPlan {
        List<Integer> starts(int frames, double fps, int span);
    }

    private static ClipScores score(Block model, ModelInput input, List<String> labels, Path video, ClipPlan plan) {
        if (input.modality().needsFlow()) {
            throw new IllegalArgumentException("localisation runs RGB clip classifiers; this model takes " + input.modality() + " clips");
        }
        ReaderOptions options = ReaderOptions.builder().optSize(input.decodeSize()).optTimeout(Duration.ofSeconds(120)).build();
        try (VideoReader reader = VideoReader.open(video, options); NDManager manager = NDManager.newBaseManager()) {
            int frames = reader.frameCount();
            double fps = reader.fps();
            double step = input.frameStride() != null ? input.frameStride() : fps / input.targetFps();
            int span = (int) Math.round((input.frames() - 1) * step) + 1;
            List<int[]> clips = new ArrayList<>();
            for (int start : plan.starts(frames, fps, span)) {
                int[] indices = new int[input.frames()];
                for (int k = 0; k < indices.length; k++) {
                    indices[k] = Math.min(frames - 1, start + (int) Math.round(k * step));
                }
                clips.add(indices);
            }
            Crop centre = Crop.center(input.size());
            double[] starts = new double[clips.size()];
            double[] ends = new double[clips.size()];
            float[][] probabilities = new float[clips.size()][];
            int batch = 32; // decode and score a bounded number of clips at a time
            for (int from = 0; from < clips.size(); from += batch) {
                int to = Math.min(clips.size(), from + batch);
                List<VideoFrames> decoded = new ArrayList<>();
                for (int j = from; j < to; j++) {
                    decoded.add(centre.apply(reader.read(clips.get(j)), null));
                    int[] idx = clips.get(j);
                    starts[j] = idx[0] / fps;
                    ends[j] = Math.min(frames, idx[idx.length - 1] + 1) / fps;
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = input.toTensor().applyBatch(scope, decoded);
                    float[][] p = Forward.probabilities(model, x, labels.size(), 8);
                    System.arraycopy(p, 0, probabilities, from, p.length);
                }
            }
            return new ClipScores(video, starts, ends, probabilities, List.copyOf(labels), frames / fps);
        }
    }
}
