package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
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
import dev.kinema.data.transforms.RandAugment;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.flow.FlowSource;
import dev.kinema.tasks.ClassificationTask;
import dev.kinema.tasks.TrainingTask;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Trains a video model clip by clip: every epoch takes one random clip of every training video
 * (optional RandAugment, random crop, optional horizontal flip), minimises the loss of its
 * {@link TrainingTask} (today {@link ClassificationTask}: cross-entropy, optionally with label
 * smoothing and mixup/cutmix) with SGD or AdamW under a warm-up + cosine learning-rate schedule,
 * validates with several clips per video, and writes a checkpoint, {@code metrics.jsonl} and
 * {@code report.html} to the run directory. {@link #fit} runs named steps: open the run directory,
 * build or resume the model, make the loader, then the epoch loop.
 *
 * <p>Deterministic for a seed: the weights are initialised after seeding the engine, epoch
 * {@code e} seeds the engine with a value derived from (seed, e), the clip loader derives every
 * clip, crop, flip, RandAugment draw and the shuffling from (seed, epoch, video), and the task's
 * mixing from (seed, epoch, batch). So a run resumed from the checkpoint of epoch {@code e}
 * computes the same epochs {@code e + 1...} as an uninterrupted one.
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
        List<VideoSample> train = trainingSamples(data);
        List<VideoSample> val = data.findSplit(config.valSplit()).map(data::samples).orElse(List.of());
        RunDir run = openRun(data.labels());
        TrainingTask task = task(run);
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager,
                        (float) config.weightDecay())) {
            Block model = buildModel(task, manager);
            List<EpochMetrics> history = new ArrayList<>();
            long step = 0;
            int startEpoch = 0;
            if (resume && run.hasCheckpoint()) {
                Checkpoint.Header header = Checkpoint.load(run.checkpoint(), model, manager, optimizer);
                startEpoch = header.epoch();
                step = header.step();
                history.addAll(header.history());
            }
            try (ClipLoader loader = trainingLoader(train)) {
                Evaluator evaluator = val.isEmpty() ? null : Evaluator.builder().setModel(model)
                        .setInput(config.input()).setClasses(run.labels()).optClips(config.valClips())
                        .optWorkers(config.workers()).optFlowSource(flow).optChunk(Math.max(config.batch(), 1))
                        .build();
                Loop loop = new Loop(model, task, optimizer, WarmupCosine.forEpochs((float) config.lr(),
                        config.warmupEpochs(), config.epochs(), loader.batches()), manager);
                for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                    long started = System.nanoTime();
                    EpochTotals totals = loop.trainEpoch(loader, step, epoch);
                    step = totals.step;
                    EvalResult validation = null;
                    if (evaluator != null) {
                        listener.validationStarted(val.size());
                        validation = evaluator.evaluate(val, listener::validationProgress);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    history.add(EpochMetrics.of(epoch + 1, totals.lastLr, totals.metrics.meanLoss(),
                            totals.metrics.summary(), totals.metrics.clips(), totals.clipsPerSecond(), seconds,
                            validation));
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

    /** The training split, which must be non-empty and labelled. */
    private List<VideoSample> trainingSamples(VideoDataset data) {
        List<VideoSample> train = data.samples(config.trainSplit());
        if (train.isEmpty()) {
            throw new IllegalArgumentException(config.data() + ": the " + config.trainSplit() + " split is empty");
        }
        for (VideoSample s : train) {
            if (!s.isLabeled()) {
                throw new IllegalArgumentException(s.origin() + ": training video without a label");
            }
        }
        return train;
    }

    /** What this run learns: classification of the run's classes (the only task a run records today). */
    private TrainingTask task(RunDir run) {
        Regularization r = config.regularization();
        return new ClassificationTask(run.labels().size(), r.labelSmoothing(), r.mixUp());
    }

    /** The model with its head sized for the task, initialised from the run's seed. */
    private Block buildModel(TrainingTask task, NDManager manager) {
        manager.getEngine().setRandomSeed(engineSeed(config.seed(), -1));
        Block model = factory.create(config.model(), task.outputs(), config.frames(), config.size(), config.nonLocal());
        model.initialize(manager, DataType.FLOAT32, config.input().shape(1));
        return model;
    }

    /** One random clip of every training video per epoch, with the configured augmentation. */
    private ClipLoader trainingLoader(List<VideoSample> train) {
        ModelInput input = config.input();
        ClipLoader.Builder clips = input.configure(ClipLoader.builder(), flow).setSamples(train)
                .setSampler(input.sampler().mode("random").build()).optBatchSize(config.batch())
                .optWorkers(config.workers()).optSeed(config.seed());
        if (input.modality().needsFlow()) {
            return clips.optSpatialAugment(SpatialAugment.random(config.size(), config.flip() ? 0.5 : 0)).build();
        }
        List<ClipTransform> augment = new ArrayList<>();
        Regularization r = config.regularization();
        if (r.randAugmentOps() > 0) {
            // PyTorchVideo applies RandAugment to the whole decoded clip, before the random crop.
            augment.add(RandAugment.of(r.randAugmentOps(), r.randAugmentMagnitude()));
        }
        augment.add(Crop.random(config.size()));
        if (config.flip()) {
            augment.add(Flip.horizontal(0.5));
        }
        return clips.optTransform(augment.size() == 1 ? augment.get(0) : new Compose(augment)).build();
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

    /** An int seed for the engine's generator from (seed, epoch); epoch -1 is the initialisation. */
    static int engineSeed(long seed, int epoch) {
        return ClipSamplers.rng(seed, epoch, -2).nextInt() & Integer.MAX_VALUE;
    }

    /** The per-batch updates of a run: forward, the task's loss, backward and the optimiser's step. */
    private final class Loop {
        private final Block model;
        private final TrainingTask task;
        private final StatefulOptimizer optimizer;
        private final WarmupCosine schedule;
        private final NDManager manager;

        Loop(Block model, TrainingTask task, StatefulOptimizer optimizer, WarmupCosine schedule, NDManager manager) {
            this.model = model;
            this.task = task;
            this.optimizer = optimizer;
            this.schedule = schedule;
            this.manager = manager;
        }

        /** One pass over the loader's epoch {@code epoch}, its updates numbered from {@code firstStep}. */
        EpochTotals trainEpoch(ClipLoader loader, long firstStep, int epoch) {
            manager.getEngine().setRandomSeed(engineSeed(config.seed(), epoch));
            listener.epochStarted(epoch + 1, config.epochs(), loader.batches());
            EpochTotals totals = new EpochTotals(firstStep, task.newEpoch());
            int batchIndex = 0;
            try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
                for (ClipBatch batch : batches) {
                    float lr = schedule.getNewValue((int) Math.min(Integer.MAX_VALUE, totals.step));
                    update(batch, lr, epoch, totals);
                    totals.step++;
                    totals.lastLr = lr;
                    listener.batchFinished(new TrainingListener.BatchProgress(epoch + 1, ++batchIndex,
                            totals.metrics.meanLoss(), totals.metrics.summary().getOrDefault("top1", Double.NaN),
                            totals.clipsPerSecond(), lr));
                }
            }
            if (totals.metrics.clips() == 0) {
                throw new IllegalArgumentException("no training video could be read in epoch " + (epoch + 1)
                        + (loader.failures().isEmpty() ? "" : "; the first failure: " + loader.failures().get(0)));
            }
            return totals;
        }

        private void update(ClipBatch batch, float lr, int epoch, EpochTotals totals) {
            try (NDManager step = manager.newSubManager()) {
                // Batch positions get generators apart from the videos' (>= 0) and the engine's (-2).
                TrainingTask.Step inputs = task.trainingStep(batch, step,
                        ClipSamplers.rng(config.seed(), epoch, -3L - batch.index()));
                ParameterStore parameters = new ParameterStore(step, false);
                float value;
                float[] outputs;
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDList out = model.forward(parameters, inputs.inputs(), true);
                    NDArray loss = task.loss(out, inputs.targets());
                    collector.backward(loss);
                    value = loss.getFloat();
                    outputs = out.singletonOrThrow().stopGradient().toFloatArray();
                }
                if (!Float.isFinite(value)) {
                    throw new IllegalStateException("the loss became " + value + " in epoch " + (epoch + 1)
                            + ", update " + (totals.step + 1) + "; try a lower learning rate (now " + lr + ")");
                }
                optimizer.step(model.getParameters(), lr, step);
                totals.metrics.add(batch, outputs, value);
            }
        }
    }

    /** Where an epoch has got to: the update count, the last learning rate and the task's metrics. */
    private static final class EpochTotals {
        long step;
        final long started = System.nanoTime();
        final TrainingTask.EpochMetricsAccumulator metrics;
        double lastLr;

        EpochTotals(long step, TrainingTask.EpochMetricsAccumulator metrics) {
            this.step = step;
            this.metrics = metrics;
        }

        double clipsPerSecond() {
            double s = (System.nanoTime() - started) / 1e9;
            return s > 0 ? metrics.clips() / s : 0;
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
