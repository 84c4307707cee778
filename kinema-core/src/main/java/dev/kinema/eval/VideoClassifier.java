package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.SpatialAugment;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.flow.FlowSource;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Classifies whole videos: K uniformly spaced clips (centre crop), the softmax of each, and their
 * average. Each clip's own top class and when it happens show how the prediction evolves through
 * the video.
 */
public final class VideoClassifier {
    private final Block model;
    private final ModelInput input;
    private final List<String> classes;
    private final int chunk;
    private final FlowSource flow;

    /**
     * @param model an initialised classifier returning N×classes logits
     * @param input how its clips are made
     * @param classes class names in label order
     */
    public VideoClassifier(Block model, ModelInput input, List<String> classes) {
        this(model, input, classes, null);
    }

    /**
     * A classifier whose input may hold optical flow.
     *
     * @param flow where flow comes from; required when {@code input} holds flow
     */
    public VideoClassifier(Block model, ModelInput input, List<String> classes, FlowSource flow) {
        this.model = Objects.requireNonNull(model, "model");
        this.input = Objects.requireNonNull(input, "input");
        this.classes = List.copyOf(classes);
        this.chunk = CHUNK;
        this.flow = flow;
        if (input.modality().needsFlow() && flow == null) {
            throw new IllegalArgumentException("this model takes optical flow (" + input.modality()
                    + " clips): give a flow source");
        }
    }

    /** A class and its probability. */
    public record LabelProbability(String label, double probability) {}

    /**
     * One clip's prediction.
     *
     * @param start the clip's first sampled frame, in seconds
     * @param end just after its last sampled frame, in seconds (at most the video's end)
     * @param label its most probable class
     * @param probability that class's probability
     */
    public record ClipPrediction(double start, double end, String label, double probability) {}

    /**
     * A video's classification.
     *
     * @param video the file
     * @param top5 the (at most) five most probable classes of the averaged softmax, best first
     * @param clips the clips in time order
     */
    public record Classification(Path video, List<LabelProbability> top5, List<ClipPrediction> clips) {}

    /**
     * A video's clips ready for the model: the N×C×T×H×W batch (owned by the manager that
     * {@link #prepare} was given), where each clip lies in the video, and the video's length.
     */
    public record Clips(Path video, NDArray batch, List<SampledClip> sampled, double durationSeconds) {}

    /** Clips that go through the model together: a video's activations are held for this many at a time. */
    public static final int CHUNK = 8;

    /** The memory one video's decoded clips may take, as floats: 1 GiB. */
    static final long CLIP_BUDGET_BYTES = 1L << 30;

    /** The most clips of {@code input} one video may be classified from. */
    public static int maxClips(ModelInput input) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, CLIP_BUDGET_BYTES / (input.shape(1).size() * Float.BYTES)));
    }

    /**
     * Refuses more clips per video than {@link #maxClips} allows, with how much memory they would take.
     */
    public static void checkClips(ModelInput input, int clips) {
        int most = maxClips(input);
        if (clips > most) {
            // All of a video's clips are decoded into one batch; past the budget that is an OutOfMemoryError later.
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%d clips per video of %s would take %.1f GB; at most %d fit in the %d MB a video's clips may use",
                    clips, input.shape(1), clips * (double) input.shape(1).size() * Float.BYTES / 1e9, most,
                    CLIP_BUDGET_BYTES >> 20));
        }
    }

    /**
     * Classifies {@code video} from {@code clips} uniformly spaced clips, decoding and scoring them
     * {@link #CHUNK} at a time, so that memory stays flat in the number of clips.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public Classification classify(Path video, int clips) {
        List<SampledClip> sampled = new ArrayList<>(clips);
        List<float[]> probabilities = new ArrayList<>(clips);
        double[] duration = new double[1];
        decode(video, clips, chunk, part -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Clips prepared = collate(manager, video, centre(part));
                sampled.addAll(prepared.sampled());
                probabilities.addAll(List.of(Forward.probabilities(model, prepared.batch(), classes.size(), chunk)));
                duration[0] = prepared.durationSeconds();
            }
        });
        return interpret(video, sampled, duration[0], probabilities.toArray(float[][]::new));
    }

    /**
     * The first half of {@link #classify} for a DJL {@code Predictor}, which takes one batch: decodes
     * {@code clips} uniformly spaced clips of {@code video} (centre crop; with flow when the model
     * takes it) into one batch in {@code manager}, through the loader's pipeline
     * ({@link ModelInput#decoder}, {@link SpatialAugment#center}, {@link ModelInput#collate}), so they
     * are the clips evaluation makes. Its memory grows with {@code clips}, up to the budget of
     * {@link #checkClips}.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public Clips prepare(NDManager manager, Path video, int clips) {
        return collate(manager, video, centreClips(video, clips));
    }

    /**
     * The clips {@link #prepare} batches, before collation: {@code clips} uniformly spaced clips of
     * {@code video}, centre-cropped, with their frames (and flow) as the model will see them; what an
     * explanation draws its heat maps over.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public List<Clip> centreClips(Path video, int clips) {
        checkClips(input, clips);
        List<Clip> decoded = new ArrayList<>(clips);
        decode(video, clips, Integer.MAX_VALUE, decoded::addAll);
        return centre(decoded);
    }

    /** {@code clips} uniformly spaced clips of {@code video}, handed to {@code consumer} {@code chunk} at a time. */
    private void decode(Path video, int clips, int chunk, java.util.function.Consumer<List<Clip>> consumer) {
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be at least 1, got " + clips);
        }
        ClipSampler sampler = input.sampler().mode("uniform").test(true).clips(clips).build();
        try {
            input.decoder(sampler, flow).decode(VideoSample.ofFile(video, -1, null, "classify"), null, chunk, consumer);
        } catch (IOException e) {
            throw new VideoDecodeException(video, "no optical flow: " + e.getMessage());
        }
    }

    /** {@code decoded} centre-cropped to the model's size. */
    private List<Clip> centre(List<Clip> decoded) {
        SpatialAugment centre = SpatialAugment.center(input.size());
        List<Clip> cropped = new ArrayList<>(decoded.size());
        for (Clip c : decoded) {
            cropped.add(centre.apply(c, null));
        }
        return cropped;
    }

    /** Centre-cropped clips of {@code video}, collated into one batch in {@code manager}. */
    private Clips collate(NDManager manager, Path video, List<Clip> cropped) {
        List<SampledClip> sampled = new ArrayList<>(cropped.size());
        for (Clip c : cropped) {
            Clip.Source s = c.source();
            sampled.add(new SampledClip(s.clipIndex(), s.frameIndices(), s.startSeconds(), s.endSeconds()));
        }
        NDArray x = input.collate().collate(0, cropped).data(manager);
        return new Clips(video, x, sampled, cropped.get(0).source().videoSeconds());
    }

    /**
     * The second half of {@link #classify}: each clip's top class, and the top 5 of the clips'
     * averaged softmax, from {@code probabilities} (clips × classes, in the order of {@code clips}).
     */
    public Classification interpret(Clips clips, float[][] probabilities) {
        return interpret(clips.video(), clips.sampled(), clips.durationSeconds(), probabilities);
    }

    /** {@link #interpret(Clips, float[][])} for clips scored chunk by chunk, whose batch no longer exists. */
    private Classification interpret(Path video, List<SampledClip> sampled, double durationSeconds,
            float[][] probabilities) {
        if (probabilities.length != sampled.size()) {
            throw new IllegalArgumentException(probabilities.length + " rows of probabilities for " + sampled.size() + " clips");
        }
        List<ClipPrediction> perClip = new ArrayList<>(sampled.size());
        for (int i = 0; i < sampled.size(); i++) {
            int best = Metrics.argmax(probabilities[i]);
            SampledClip c = sampled.get(i);
            perClip.add(new ClipPrediction(c.startSeconds(), Math.min(c.endSeconds(), durationSeconds),
                    classes.get(best), probabilities[i][best]));
        }
        float[] mean = Metrics.mean(List.of(probabilities));
        List<LabelProbability> top = new ArrayList<>();
        for (int k : Metrics.topK(mean, 5)) {
            top.add(new LabelProbability(classes.get(k), mean[k]));
        }
        return new Classification(video, top, perClip);
    }

    /** The number of classes the model scores. */
    public int numClasses() {
        return classes.size();
    }
}
