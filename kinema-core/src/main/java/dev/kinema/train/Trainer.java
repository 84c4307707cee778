package dev.kinema.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.DatasetOptions;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.SpatialAugment;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.ClipTransform;
import dev.kinema.data.transforms.Compose;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.eval.Metrics;
import dev.kinema.flow.FlowSource;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Trains a video classifier clip by clip: every epoch takes one random clip of every training
 * video (random crop, optional horizontal flip), minimises cross-entropy with SGD or AdamW under a
 * warm-up + cosine learning-rate schedule, validates with several clips per video, and writes a
 * checkpoint, {@code metrics.jsonl} and {@code report.html} to the run directory.
 *
 * <p>Deterministic for a seed: the weights are initialised after seeding the engine, epoch
 * {@code e} seeds the engine with a value derived from (seed, e), and the clip loader derives
 * every clip, crop, flip and the shuffling from (seed, epoch, video). So a run resumed from the
 * checkpoint of epoch {@code e} computes the same epochs {@code e + 1...} as an uninterrupted one.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder().setData("kinema-motion").setModel("tiny-3d").optSize(64).build();
 * List<EpochMetrics> history = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry())
 *         .setRunDirectory(Path.of("runs/tiny")).build().fit();
 * }</pre>
 */
public final class Trainer {
    /** Options that may differ on resume: where the data is and how many threads decode it. */
    private static final Set<String> FREE_ON_RESUME = Set.of("data", "annotations", "workers", "flowDir");

    private final TrainConfig config;
    private final ModelFactory factory;
    private final Path runDirectory;
    private final boolean resume;
    private final TrainingListener listener;
    private final VideoDataset dataset;
    private final FlowSource flow;

    private Trainer(Builder b) {
        this.flow = b.flow;
        this.config = b.config;
        this.factory = b.factory;
        this.runDirectory = b.runDirectory;
        this.resume = b.resume;
        this.listener = b.listener;
        this.dataset = b.dataset;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains until {@link TrainConfig#epochs()} epochs are done (continuing a checkpoint when
     * resuming) and returns the whole run's history.
     *
     * @throws IOException when the data or the run directory cannot be read or written
     * @throws IllegalArgumentException for a training split that is empty or unlabelled, or a
     *     resumed run whose configuration or classes differ
     */
    public List<EpochMetrics> fit() throws IOException {
        VideoDataset data = dataset != null ? dataset
                : DatasetFormats.open(Path.of(config.data()), Optional.ofNullable(config.annotations()).map(Path::of),
                        DatasetOptions.defaults());
        List<VideoSample> train = data.samples(config.trainSplit());
        if (train.isEmpty()) {
            throw new IllegalArgumentException(config.data() + ": the " + config.trainSplit() + " split is empty");
        }
        for (VideoSample s : train) {
            if (!s.isLabeled()) {
                throw new IllegalArgumentException(s.origin() + ": training video without a label");
            }
        }
        List<VideoSample> val = data.findSplit(config.valSplit()).map(data::samples).orElse(List.of());
        RunDir run = openRun(data.labels());
        ModelInput input = config.input();
        int numClasses = run.labels().size();

        try (NDManager manager = NDManager.newBaseManager()) {
            Engine engine = manager.getEngine();
            engine.setRandomSeed(engineSeed(config.seed(), -1));
            Block model = factory.create(config.model(), numClasses, config.frames(), config.size());
            model.initialize(manager, DataType.FLOAT32, input.shape(1));
            try (StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager,
                    (float) config.weightDecay())) {
                int startEpoch = 0;
                long step = 0;
                List<EpochMetrics> history = new ArrayList<>();
                if (resume && run.hasCheckpoint()) {
                    Checkpoint.Header header = Checkpoint.load(run.checkpoint(), model, manager, optimizer);
                    startEpoch = header.epoch();
                    step = header.step();
                    history.addAll(header.history());
                }
                ClipLoader.Builder clips = input.configure(ClipLoader.builder(), flow).setSamples(train)
                        .setSampler(input.sampler().mode("random").build()).optBatchSize(config.batch())
                        .optWorkers(config.workers()).optSeed(config.seed());
                if (input.modality().needsFlow()) {
                    clips.optSpatialAugment(SpatialAugment.random(config.size(), config.flip() ? 0.5 : 0));
                } else {
                    ClipTransform augment = config.flip()
                            ? Compose.of(Crop.random(config.size()), Flip.horizontal(0.5)) : Crop.random(config.size());
                    clips.optTransform(augment);
                }
                try (ClipLoader loader = clips.build()) {
                    WarmupCosine schedule = WarmupCosine.forEpochs((float) config.lr(), config.warmupEpochs(),
                            config.epochs(), loader.batches());
                    Evaluator evaluator = val.isEmpty() ? null : Evaluator.builder().setModel(model).setInput(input)
                            .setClasses(run.labels()).optClips(config.valClips()).optWorkers(config.workers())
                            .optFlowSource(flow)
                            .optChunk(Math.max(config.batch(), 1)).build();
                    for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                        long started = System.nanoTime();
                        engine.setRandomSeed(engineSeed(config.seed(), epoch));
                        EpochTotals totals = trainEpoch(model, loader, optimizer, schedule, step, epoch, manager);
                        if (totals.clips == 0) {
                            throw new IllegalArgumentException("no training video could be read in epoch " + (epoch + 1)
                                    + (loader.failures().isEmpty() ? "" : "; the first failure: " + loader.failures().get(0)));
                        }
                        step = totals.step;
                        EvalResult validation = null;
                        if (evaluator != null) {
                            listener.validationStarted(val.size());
                            validation = evaluator.evaluate(val, listener::validationProgress);
                        }
                        double seconds = (System.nanoTime() - started) / 1e9;
                        history.add(EpochMetrics.of(epoch + 1, totals.lastLr, totals.meanLoss(), totals.top1(),
                                totals.clips, totals.clipsPerSecond(), seconds, validation));
                        Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, run.labels(), epoch + 1, step,
                                history, validation), model, optimizer);
                        listener.checkpointWritten(run, epoch + 1);
                        run.writeMetrics(history);
                        TrainingReport.write(run, history, validation);
                        listener.epochFinished(history.get(history.size() - 1), validation);
                    }
                }
                return history;
            }
        }
    }

    /** A new run directory, or the one being resumed after checking it matches this configuration. */
    private RunDir openRun(List<String> labels) throws IOException {
        if (!resume) {
            return RunDir.create(runDirectory, config, labels);
        }
        RunDir run = RunDir.open(runDirectory);
        List<String> changed = differences(run.config(), config);
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException(runDirectory + " was trained with a different configuration ("
                    + String.join(", ", changed) + "); resume with the saved one or start a new run");
        }
        if (!run.labels().equals(labels)) {
            throw new IllegalArgumentException(run.file(RunDir.LABELS) + ": the run's classes " + run.labels()
                    + " differ from the dataset's " + labels);
        }
        return run;
    }

    /** The settings that differ, as {@code name: saved -> given}, ignoring those free on resume. */
    static List<String> differences(TrainConfig saved, TrainConfig given) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            if (FREE_ON_RESUME.contains(c.getName())) {
                continue;
            }
            try {
                Object a = c.getAccessor().invoke(saved);
                Object b = c.getAccessor().invoke(given);
                if (!Objects.equals(a, b)) {
                    out.add(c.getName() + ": " + a + " -> " + b);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private EpochTotals trainEpoch(Block model, ClipLoader loader, StatefulOptimizer optimizer, WarmupCosine schedule,
            long firstStep, int epoch, NDManager manager) {
        listener.epochStarted(epoch + 1, config.epochs(), loader.batches());
        EpochTotals totals = new EpochTotals(firstStep, System.nanoTime());
        Loss loss = Loss.softmaxCrossEntropyLoss();
        int batchIndex = 0;
        try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
            for (ClipBatch batch : batches) {
                float lr = schedule.getNewValue((int) Math.min(Integer.MAX_VALUE, totals.step));
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = batch.data(step);
                    NDArray y = batch.labels(step);
                    ParameterStore parameters = new ParameterStore(step, false);
                    float value;
                    float[] logits;
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray out = model.forward(parameters, new NDList(x), true).singletonOrThrow();
                        NDArray l = loss.evaluate(new NDList(y), new NDList(out));
                        collector.backward(l);
                        value = l.getFloat();
                        logits = out.stopGradient().toFloatArray();
                    }
                    if (!Float.isFinite(value)) {
                        throw new IllegalStateException("the loss became " + value + " in epoch " + (epoch + 1)
                                + ", update " + (totals.step + 1) + "; try a lower learning rate (now " + lr + ")");
                    }
                    optimizer.step(model.getParameters(), lr, step);
                    totals.add(batch, value, logits);
                }
                totals.step++;
                totals.lastLr = lr;
                listener.batchFinished(new TrainingListener.BatchProgress(epoch + 1, ++batchIndex, totals.meanLoss(),
                        totals.top1(), totals.clipsPerSecond(), lr));
            }
        }
        return totals;
    }

    /** An int seed for the engine's generator from (seed, epoch); epoch -1 is the initialisation. */
    static int engineSeed(long seed, int epoch) {
        return ClipSamplers.rng(seed, epoch, -2).nextInt() & Integer.MAX_VALUE;
    }

    /** Running sums of one epoch. */
    private static final class EpochTotals {
        long step;
        final long started;
        double lossSum;
        int correct;
        int clips;
        double lastLr;

        EpochTotals(long step, long started) {
            this.step = step;
            this.started = started;
        }

        void add(ClipBatch batch, float meanLoss, float[] logits) {
            int n = batch.size();
            int classes = logits.length / n;
            for (int i = 0; i < n; i++) {
                float[] row = new float[classes];
                System.arraycopy(logits, i * classes, row, 0, classes);
                if (Metrics.argmax(row) == batch.labels()[i]) {
                    correct++;
                }
            }
            lossSum += (double) meanLoss * n;
            clips += n;
        }

        double meanLoss() {
            return clips == 0 ? Double.NaN : lossSum / clips;
        }

        double top1() {
            return clips == 0 ? 0 : (double) correct / clips;
        }

        double clipsPerSecond() {
            double s = (System.nanoTime() - started) / 1e9;
            return s > 0 ? clips / s : 0;
        }
    }

    /** DJL-style builder: {@code setX} required, {@code optY} optional. */
    public static final class Builder {
        private TrainConfig config;
        private ModelFactory factory;
        private Path runDirectory;
        private boolean resume;
        private TrainingListener listener = new TrainingListener() {};
        private VideoDataset dataset;
        private FlowSource flow;

        private Builder() {}

        /** Where flow comes from, for models that take it ({@link TrainConfig#modality()}). */
        public Builder optFlowSource(FlowSource flow) {
            this.flow = flow;
            return this;
        }

        public Builder setConfig(TrainConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** Creates the model named in the configuration. */
        public Builder setModelFactory(ModelFactory factory) {
            this.factory = Objects.requireNonNull(factory);
            return this;
        }

        /** Where the checkpoint, metrics and report go. */
        public Builder setRunDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * Continue the run in the run directory from its checkpoint (from scratch if it has none
         * yet). The configuration must equal the saved one except for data location and workers.
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** The dataset, already read; default: read {@link TrainConfig#data()} with its annotations. */
        public Builder optDataset(VideoDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Trainer build() {
            if (config == null || factory == null || runDirectory == null) {
                throw new IllegalStateException("setConfig, setModelFactory and setRunDirectory are required");
            }
            return new Trainer(this);
        }
    }
}
