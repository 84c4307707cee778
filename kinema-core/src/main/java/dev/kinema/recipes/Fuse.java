package dev.kinema.recipes;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Modality;
import dev.kinema.eval.LinearFusion;
import dev.kinema.io.FileTrees;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two-stream late fusion without retraining: a spatial and a temporal stream, trained separately,
 * made into one two-stream run whose probabilities are averaged ({@code two-stream}), or combined
 * by a logistic regression fitted on the two streams' pooled features over training clips
 * ({@code two-stream-linear}, the lecture's "SVM fusion"). The run directory is written like a
 * trained one, so evaluation and classification read it.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     Fuse.Fused f = Fuse.builder().setSpatial(RunDir.open(spatial)).setTemporal(RunDir.open(temporal))
 *             .setModel("two-stream-linear").setOutput(out).optTraining(dataset.samples("train")).build().fuse(manager);
 * }
 * }</pre>
 */
public final class Fuse {
    /** {@code kinema compare}'s names of the fusions, and the two-stream model each becomes. */
    public static final Map<String, String> FUSIONS = Map.of("two-stream-avg", "two-stream", "two-stream-linear",
            "two-stream-linear");
    /** The streams' model names. */
    public static final String SPATIAL = "spatial-stream";
    public static final String TEMPORAL = "temporal-stream";

    /**
     * The fused run.
     *
     * @param run its directory (config, labels, card and checkpoint)
     * @param model the fused model, owned by the manager {@link #fuse} was given
     * @param fitSeconds the time the linear fusion took to fit, 0 for averaging
     */
    public record Fused(RunDir run, VideoModel model, double fitSeconds) {}

    private final RunDir spatial;
    private final RunDir temporal;
    private final String model;
    private final Path output;
    private final List<VideoSample> training;
    private final int fitClips;
    private final int workers;

    private Fuse(Builder b) {
        spatial = Objects.requireNonNull(b.spatial, "a fusion needs the trained spatial stream");
        temporal = Objects.requireNonNull(b.temporal, "a fusion needs the trained temporal stream");
        model = Objects.requireNonNull(b.model, "a fusion needs its model: two-stream or two-stream-linear");
        output = Objects.requireNonNull(b.output, "a fusion needs an output run directory");
        if (!FUSIONS.containsValue(model)) {
            throw new IllegalArgumentException("unknown fusion model '" + model + "'; known: two-stream, two-stream-linear");
        }
        if (!spatial.config().model().equals(SPATIAL) || !temporal.config().model().equals(TEMPORAL)) {
            throw new IllegalArgumentException("fuses a " + SPATIAL + " and a " + TEMPORAL + " run, got "
                    + spatial.config().model() + " (" + spatial.dir() + ") and " + temporal.config().model() + " ("
                    + temporal.dir() + ")");
        }
        if (!spatial.labels().equals(temporal.labels())) {
            throw new IllegalArgumentException("the spatial and temporal streams were trained on different classes");
        }
        training = b.training;
        if (model.equals("two-stream-linear") && (training == null || training.isEmpty())) {
            throw new IllegalArgumentException("two-stream-linear fits its classifier on training videos: give some");
        }
        fitClips = b.fitClips;
        workers = b.workers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The trained stream {@code stream} in {@code dir}.
     *
     * @throws IllegalArgumentException naming {@code fusion} and the folder when there is none
     */
    public static RunDir trainedStream(Path dir, String stream, String fusion) throws IOException {
        RunDir run = Files.isRegularFile(dir.resolve(RunDir.CHECKPOINT)) ? RunDir.open(dir) : null;
        if (run == null || !run.config().model().equals(stream)) {
            throw new IllegalArgumentException(fusion + " fuses the trained streams: put spatial-stream and "
                    + "temporal-stream before it in --models (no trained " + stream + " in " + dir + ")");
        }
        return run;
    }

    /** The fused run's config: the temporal stream's (its flow, its clips) for the two-stream model. */
    public TrainConfig config() {
        return temporal.config().toBuilder().setModel(model).optModality(Modality.RGB_FLOW).build();
    }

    /** Builds the fused model in {@code manager}, fits the linear fusion if asked, and writes the run. */
    public Fused fuse(NDManager manager) throws IOException {
        List<String> labels = temporal.labels();
        TrainConfig config = config();
        FileTrees.deleteRecursively(output);
        VideoModel fused = ModelRegistry.create(model, ModelConfig.builder().setNumClasses(labels.size())
                .optFrames(config.data().frames()).optSize(config.data().size()).build());
        fused.initialize(manager, DataType.FLOAT32, config.input().shape(1));
        TwoStreamModels.loadStream(fused, (VideoModel) spatial.loadModel(manager, ModelFactory.registry()));
        TwoStreamModels.loadStream(fused, (VideoModel) temporal.loadModel(manager, ModelFactory.registry()));
        double fitSeconds = 0;
        if (model.equals("two-stream-linear")) {
            long started = System.nanoTime();
            LinearFusion.fit(fused, config.input(), training, config.flowSource(null, null, null), fitClips, workers);
            fitSeconds = (System.nanoTime() - started) / 1e9;
        }
        RunDir dir = RunDir.create(output, config, labels);
        try (StatefulOptimizer none = StatefulOptimizer.create(config.optimizer().name(), manager, 0f)) {
            Checkpoint.write(dir.checkpoint(), new Checkpoint.Header(config, labels, 0, 0, List.of()), fused, none);
        }
        return new Fused(dir, fused, fitSeconds);
    }

    public static final class Builder {
        private RunDir spatial;
        private RunDir temporal;
        private String model;
        private Path output;
        private List<VideoSample> training;
        private int fitClips = 3;
        private int workers = 2;

        private Builder() {}

        public Builder setSpatial(RunDir spatial) {
            this.spatial = spatial;
            return this;
        }

        public Builder setTemporal(RunDir temporal) {
            this.temporal = temporal;
            return this;
        }

        /** {@code two-stream} (probabilities averaged) or {@code two-stream-linear}. */
        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /** The run directory to write (replaced if it exists). */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** The training videos {@code two-stream-linear}'s classifier is fitted on. */
        public Builder optTraining(List<VideoSample> training) {
            this.training = training;
            return this;
        }

        /** Clips per training video the linear fusion is fitted on (default 3). */
        public Builder optFitClips(int fitClips) {
            this.fitClips = fitClips;
            return this;
        }

        /** Decoding threads (default 2). */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        public Fuse build() {
            return new Fuse(this);
        }
    }
}
