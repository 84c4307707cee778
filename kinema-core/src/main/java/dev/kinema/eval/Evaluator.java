package dev.kinema.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.CropView;
import dev.kinema.data.loader.FieldTransform;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.ThreeCrop;
import dev.kinema.flow.FlowSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Measures a classifier on labelled videos, the way video papers report it: a single centre clip
 * per video (clip accuracy), and the softmax averaged over K uniformly spaced clips × M crops (video
 * accuracy; M = 3 takes PyTorchVideo's three {@link ThreeCrop} views, M = 1 the centre crop).
 *
 * <p>Each video is decoded once, at the input's decode size; the crops are cut from the decoded
 * clips. Videos that cannot be read are skipped and counted in {@link EvalResult#skipped()}.
 *
 * <pre>{@code
 * EvalResult r = Evaluator.builder().setModel(model).setInput(config.input()).setClasses(labels)
 *         .optClips(10).optCrops(3).build().evaluate(dataset.samples("test"));
 * }</pre>
 */
public final class Evaluator {
    private final Block model;
    private final ModelInput input;
    private final List<String> classes;
    private final int clips;
    private final int crops;
    private final int workers;
    private final int chunk;
    private final FlowSource flow;

    private Evaluator(Builder b) {
        this.flow = b.flow;
        this.model = b.model;
        this.input = b.input;
        this.classes = List.copyOf(b.classes);
        this.clips = b.clips;
        this.crops = b.crops;
        this.workers = b.workers;
        this.chunk = b.chunk;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evaluates on {@code samples}, which must all be labelled. */
    public EvalResult evaluate(List<VideoSample> samples) {
        return evaluate(samples, done -> {});
    }

    /**
     * Evaluates on {@code samples}, which must all be labelled.
     *
     * @param progress called with the number of videos done after each one
     * @throws IllegalArgumentException naming the first unlabelled sample
     */
    public EvalResult evaluate(List<VideoSample> samples, IntConsumer progress) {
        for (VideoSample s : samples) {
            if (!s.isLabeled()) {
                throw new IllegalArgumentException(s.origin() + ": no label; evaluation needs a labelled split "
                        + "(use classify for unlabelled videos)");
            }
        }
        CentreAndUniformClips sampler = new CentreAndUniformClips(
                input.sampler().mode("uniform").test(true).clips(1).build(),
                clips == 1 ? null : input.sampler().mode("uniform").test(true).clips(clips).build());
        List<Integer> labels = new ArrayList<>();
        List<float[]> clipScores = new ArrayList<>();
        List<float[]> videoScores = new ArrayList<>();
        int skipped;
        // One video per batch: its clips share a frame size even when the videos' aspect ratios differ.
        List<FieldTransform> views = CropView.views(crops, input.size());
        try (ClipLoader loader = input.configure(ClipLoader.builder(), flow).setSamples(samples).setSampler(sampler)
                .optViews(views).optBatchSize(1)
                .optShuffle(false).optWorkers(workers).optSeed(0).build();
                ClipLoader.Epoch epoch = loader.epoch(0);
                NDManager manager = NDManager.newBaseManager()) {
            int done = 0;
            for (ClipBatch batch : epoch) {
                try (NDManager step = manager.newSubManager()) {
                    score(batch, views.size(), step, sampler, clipScores, videoScores);
                }
                labels.add(batch.labels()[0]);
                progress.accept(++done);
            }
            skipped = loader.failures().size();
        }
        return EvalResult.of(classes, labels.stream().mapToInt(Integer::intValue).toArray(), clipScores, videoScores,
                skipped, clips, crops);
    }

    /**
     * Adds one video's centre-clip and averaged probabilities; {@code batch} holds its clips under
     * each of {@code views} views in turn, the centre one in the middle.
     */
    private void score(ClipBatch batch, int views, NDManager step, CentreAndUniformClips sampler,
            List<float[]> clipScores, List<float[]> videoScores) {
        float[][] p = Forward.probabilities(model, batch.data(step), classes.size(), chunk);
        int n = batch.size() / views;
        int centreView = views / 2;
        int[] clipIndex = batch.clipIndices();
        List<float[]> averaged = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            for (int c = 0; c < n; c++) {
                if (clipIndex[c] == 0 && v == centreView) {
                    clipScores.add(p[v * n + c]);
                }
                if (sampler.inAverage(clipIndex[c])) {
                    averaged.add(p[v * n + c]);
                }
            }
        }
        videoScores.add(Metrics.mean(averaged));
    }

    /** DJL-style builder: {@code setX} required, {@code optY} optional. */
    public static final class Builder {
        private Block model;
        private ModelInput input;
        private List<String> classes;
        private int clips = 10;
        private int crops = 1;
        private int workers = 2;
        private int chunk = 8;
        private FlowSource flow;

        private Builder() {}

        /** Where flow comes from, for input that holds flow; ignored for RGB input. */
        public Builder optFlowSource(FlowSource flow) {
            this.flow = flow;
            return this;
        }

        /** The classifier, initialised, returning N×classes logits. */
        public Builder setModel(Block model) {
            this.model = Objects.requireNonNull(model);
            return this;
        }

        public Builder setInput(ModelInput input) {
            this.input = Objects.requireNonNull(input);
            return this;
        }

        /** Class names in label order; the model has one output per class. */
        public Builder setClasses(List<String> classes) {
            this.classes = Objects.requireNonNull(classes);
            return this;
        }

        /** Uniformly spaced clips per video (K); default 10. */
        public Builder optClips(int clips) {
            this.clips = clips;
            return this;
        }

        /** Crops per clip: 1 (centre) or 3 (left/top, centre, right/bottom); default 1. */
        public Builder optCrops(int crops) {
            this.crops = crops;
            return this;
        }

        /** Decoding threads; default 2. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Clips per forward pass, bounding memory; default 8. */
        public Builder optChunk(int chunk) {
            this.chunk = chunk;
            return this;
        }

        public Evaluator build() {
            if (model == null || input == null || classes == null) {
                throw new IllegalStateException("setModel, setInput and setClasses are required");
            }
            if (clips < 1 || workers < 1 || chunk < 1) {
                throw new IllegalArgumentException("clips, workers and chunk must be at least 1");
            }
            if (crops != 1 && crops != ThreeCrop.VIEWS) {
                throw new IllegalArgumentException("crops must be 1 or 3, got " + crops);
            }
            return new Evaluator(this);
        }
    }
}
