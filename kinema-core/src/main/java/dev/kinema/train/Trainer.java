package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kinema.data.datasets.DatasetReport;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.FieldTransform;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.SpatialAugment;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.ClipTransform;
import dev.kinema.data.transforms.Compose;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.data.transforms.RandAugment;
import dev.kinema.flow.FlowSource;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.DamagedFileException;
import dev.kinema.models.VideoModel;
import dev.kinema.tasks.TaskContext;
import dev.kinema.tasks.TrainingTask;
import dev.kinema.tasks.TrainingTasks;
import dev.kinema.tasks.Validation;
import dev.kinema.tasks.ValidationPass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a video model clip by clip for the task its configuration names ({@link TrainingTasks}):
 * every epoch takes one random clip of every training video (optional RandAugment, random crop,
 * optional horizontal flip), minimises the task's loss with SGD or AdamW under a warm-up + cosine
 * learning-rate schedule, lets the task validate the model, and writes a checkpoint, the best
 * checkpoint by the task's metric, {@code metrics.jsonl} and {@code report.html} to the run
 * directory. The trainer knows nothing of what is predicted: targets, loss and metrics are the
 * {@link TrainingTask}'s.
 *
 * <p>{@link #fit} runs named steps: open the dataset, open the run directory, build the task and
 * the model, resume, make the loader, then each epoch trains, validates and saves.
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
    /**
     * Settings that may differ on resume (as {@code config.json} paths): where the data is, how many
     * threads decode it, and which checkpoint is kept as the best.
     */
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final Set<String> FREE_ON_RESUME = Set.of("data.root", "data.annotations", "data.workers",
            "data.flow_dir", "best_metric");

    private final TrainConfig config;
    private final DataConfig data;
    private final ModelFactory factory;
    private final Path runDirectory;
    private final boolean resume;
    private final TrainingListener listener;
    private final VideoDataset dataset;
    private final FlowSource flow;
    private final ModelInit init;

    /** What a new run's model starts from besides its random initialisation, e.g. pretrained weights. */
    @FunctionalInterface
    public interface ModelInit {
        /** Changes the initialised model's weights. */
        void apply(Block model) throws IOException;
    }

    private Trainer(Builder b) {
        this.init = b.init;
        this.flow = b.flow;
        this.config = b.config;
        this.data = b.config.data();
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
     * Trains until {@link ScheduleConfig#epochs()} epochs are done (continuing a checkpoint when
     * resuming) and returns the whole run's history.
     *
     * @throws IOException when the data or the run directory cannot be read or written
     * @throws IllegalArgumentException for a training split that is empty or unlabelled, or a
     *     resumed run whose configuration or labels differ
     */
    public List<EpochMetrics> fit() throws IOException {
        VideoDataset videos = openDataset();
        List<VideoSample> train = trainingSamples(videos);
        List<VideoSample> val = videos.findSplit(data.valSplit()).map(videos::samples).orElse(List.of());
        RunDir run = openRun(videos.labels());
        recordDatasetProblems(run, videos.report());
        TrainingTask task = task(run);
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager)) {
            Block model = buildModel(task, manager);
            if (init != null) {
                // before resuming, which replaces every weight with the checkpoint's
                init.apply(model);
            }
            BestCheckpoint best = new BestCheckpoint(run, config.taskDefinition().validationMetric(config.bestMetric()));
            Progress progress = resume(run, model, manager, optimizer, best);
            try (ClipLoader loader = trainingLoader(train, task.clipTargets())) {
                Loop loop = new Loop(model, task, optimizer, WarmupCosine.forEpochs((float) config.optimizer().lr(),
                        config.schedule().warmupEpochs(), config.schedule().epochs(), loader.batches()), manager);
                for (int epoch = progress.epochs; epoch < config.schedule().epochs(); epoch++) {
                    long started = System.nanoTime();
                    EpochTotals totals = loop.trainEpoch(loader, progress.step, epoch);
                    Validation validation = validate(task, model, val);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress.add(totals.step, new EpochMetrics(epoch + 1, totals.lastLr, totals.metrics.meanLoss(),
                            totals.metrics.summary(), totals.metrics.clips(), totals.clipsPerSecond(), seconds,
                            validation == null ? null : validation.metrics(), totals.loaderWaitNanos / 1e9,
                            StepFlops.gflopPerSecond(StepFlops.training(macsPerClip(model)), totals.metrics.clips(),
                                    totals.updateNanos / 1e9)));
                    save(run, model, optimizer, progress, best, validation);
                }
            }
            return progress.history;
        }
    }

    /**
     * Skipped annotation problems are never silent: the full list goes into the run directory (and
     * so into its report) and the listener hears the one-line summary.
     */
    private void recordDatasetProblems(RunDir run, DatasetReport report) throws IOException {
        Path list = run.file(DatasetReport.FILE);
        if (report.isEmpty()) {
            Files.deleteIfExists(list);
            return;
        }
        AtomicFiles.write(list, out -> out.write((String.join("\n", report.lines()) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        listener.datasetProblems(report, list);
    }

    /** The dataset given to the builder, or the configured one read from disk. */
    private VideoDataset openDataset() throws IOException {
        return dataset != null ? dataset : data.open();
    }

    /** The training split, which must be non-empty and labelled. */
    private List<VideoSample> trainingSamples(VideoDataset videos) {
        List<VideoSample> train = videos.samples(data.trainSplit());
        if (train.isEmpty()) {
            throw new IllegalArgumentException(data.root() + ": the " + data.trainSplit() + " split is empty");
        }
        for (VideoSample s : train) {
            if (!s.isLabeled()) {
                throw new IllegalArgumentException(s.origin() + ": training video without a label");
            }
        }
        return train;
    }

    /** What this run learns: the configured task, built for the run's labels and regularisers. */
    private TrainingTask task(RunDir run) {
        Regularization r = config.regularization();
        return config.taskDefinition().create(new TaskContext(run.labels(), r.labelSmoothing(), r.mixUp(), data.root()));
    }

    /** The model with its head sized for the task, initialised from the run's seed. */
    private Block buildModel(TrainingTask task, NDManager manager) {
        manager.getEngine().setRandomSeed(engineSeed(config.seed(), -1));
        Block model = factory.create(config.model(), task.outputs(), data.frames(), data.size(), config.nonLocal());
        model.initialize(manager, DataType.FLOAT32, config.input().shape(1));
        return model;
    }

    /** Where the run stands: from scratch, or the checkpoint's epochs, updates and history when resuming. */
    private Progress resume(RunDir run, Block model, NDManager manager, StatefulOptimizer optimizer,
            BestCheckpoint best) throws IOException {
        Progress progress = new Progress();
        if (resume && run.hasCheckpoint()) {
            Checkpoint.Header header;
            try {
                header = Checkpoint.load(run.checkpoint(), model, manager, optimizer);
            } catch (DamagedFileException damaged) {
                // Nothing was loaded from the damaged file (its checksum is checked first).
                if (!Files.isRegularFile(run.previousCheckpoint())) {
                    throw damaged;
                }
                header = Checkpoint.load(run.previousCheckpoint(), model, manager, optimizer);
                LOG.warn("{}; resuming from the previous checkpoint, {} (epoch {})", damaged.getMessage(),
                        run.previousCheckpoint(), header.epoch());
            }
            progress.epochs = header.epoch();
            progress.step = header.step();
            progress.history.addAll(header.history());
            best.update(progress.history);
        }
        return progress;
    }

    /**
     * One random clip of every training video per epoch, with the configured augmentation. A task's
     * clip targets (boxes) are added as each clip is decoded, and then the crop and flip are a
     * {@link SpatialAugment}, which moves them with the frames.
     */
    private ClipLoader trainingLoader(List<VideoSample> train, FieldTransform targets) {
        ModelInput input = config.input();
        ClipLoader.Builder clips = input.configure(ClipLoader.builder(), flow).setSamples(train)
                .setSampler(input.sampler().mode("random").build()).optBatchSize(data.batch())
                .optWorkers(data.workers()).optSeed(config.seed());
        if (input.modality().needsFlow()) {
            return clips.optSpatialAugment(SpatialAugment.random(data.size(), data.flip() ? 0.5 : 0)).build();
        }
        List<ClipTransform> augment = new ArrayList<>();
        Regularization r = config.regularization();
        if (r.randAugmentOps() > 0) {
            // PyTorchVideo applies RandAugment to the whole decoded clip, before the random crop.
            augment.add(RandAugment.of(r.randAugmentOps(), r.randAugmentMagnitude()));
        }
        if (targets != null) {
            clips.optFieldTransform(targets).optSpatialAugment(SpatialAugment.random(data.size(), data.flip() ? 0.5 : 0));
            return (augment.isEmpty() ? clips : clips.optTransform(augment.get(0))).build();
        }
        augment.add(Crop.random(data.size()));
        if (data.flip()) {
            augment.add(Flip.horizontal(0.5));
        }
        return clips.optTransform(augment.size() == 1 ? augment.get(0) : new Compose(augment)).build();
    }

    /** The task's validation of the model on {@code val}, or null when the dataset has no validation split. */
    private Validation validate(TrainingTask task, Block model, List<VideoSample> val) {
        if (val.isEmpty()) {
            return null;
        }
        listener.validationStarted(val.size());
        return task.validate(new ValidationPass(model, val, config.input(), data.valClips(), data.workers(), flow,
                data.batch(), listener::validationProgress));
    }

    /** The epoch just finished, on disk: the checkpoint, the best checkpoint, the metrics and the report. */
    private void save(RunDir run, Block model, StatefulOptimizer optimizer, Progress progress, BestCheckpoint best,
            Validation validation) throws IOException {
        Checkpoint.keepAsPrevious(run.checkpoint(), run.previousCheckpoint());
        Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, run.labels(), progress.epochs, progress.step,
                progress.history), model, optimizer);
        best.update(progress.history);
        listener.checkpointWritten(run, progress.epochs);
        run.writeMetrics(progress.history);
        TrainingReport.write(run, progress.history, validation);
        listener.epochFinished(progress.history.get(progress.history.size() - 1), validation);
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
            throw new IllegalArgumentException(run.file(RunDir.LABELS) + ": the run's labels " + run.labels()
                    + " differ from the dataset's " + labels);
        }
        return run;
    }

    /**
     * The settings that differ, as {@code part.name: saved -> given} with the names of
     * {@code config.json} ({@code optimizer.lr: 0.05 -> 0.5}), ignoring those free on resume.
     */
    static List<String> differences(TrainConfig saved, TrainConfig given) {
        Map<String, JsonNode> a = settings(RunDir.JSON.valueToTree(saved));
        Map<String, JsonNode> b = settings(RunDir.JSON.valueToTree(given));
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String name : names) {
            JsonNode x = a.getOrDefault(name, NullNode.getInstance());
            JsonNode y = b.getOrDefault(name, NullNode.getInstance());
            if (!FREE_ON_RESUME.contains(name) && !x.equals(y)) {
                out.add(name + ": " + x.asText() + " -> " + y.asText());
            }
        }
        return out;
    }

    /** Every setting of a configuration's JSON by its dotted path. */
    private static Map<String, JsonNode> settings(JsonNode config) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(f -> out.put(e.getKey() + "." + f.getKey(), f.getValue()));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** An int seed for the engine's generator from (seed, epoch); epoch -1 is the initialisation. */
    static int engineSeed(long seed, int epoch) {
        return ClipSamplers.rng(seed, epoch, -2).nextInt() & Integer.MAX_VALUE;
    }

    /**
     * The model's multiply-adds per clip of the size it was built for, from the profiler (nothing
     * runs); 0 for a block that is not a {@link VideoModel} or that the profiler cannot describe.
     */
    private static long macsPerClip(Block model) {
        if (!(model instanceof VideoModel video)) {
            return 0;
        }
        try {
            return video.macs();
        } catch (IllegalArgumentException unknownSize) {
            return 0;
        }
    }

    /** Where a run stands: epochs done, optimiser updates done and the history of those epochs. */
    private static final class Progress {
        int epochs;
        long step;
        final List<EpochMetrics> history = new ArrayList<>();

        void add(long stepNow, EpochMetrics epoch) {
            step = stepNow;
            epochs = epoch.epoch();
            history.add(epoch);
        }
    }

    /** The per-batch updates of a run: forward, the task's loss, backward and the optimiser's step. */
    private final class Loop {
        private final Block model;
        private final TrainingTask task;
        private final StatefulOptimizer optimizer;
        private final WarmupCosine schedule;
        private final NDManager manager;
        /** The loss of this process's last update, finite, or null before the first. */
        private Float previousLoss;
        /** Each parameter's learning-rate factor under layer decay, or null. */
        private final Map<ai.djl.nn.Parameter, Float> lrScale;

        Loop(Block model, TrainingTask task, StatefulOptimizer optimizer, WarmupCosine schedule, NDManager manager) {
            Double layerDecay = config.optimizer().layerDecay();
            this.lrScale = layerDecay == null ? null : LayerDecay.scales(model, layerDecay);
            this.model = model;
            this.task = task;
            this.optimizer = optimizer;
            this.schedule = schedule;
            this.manager = manager;
        }

        /** One pass over the loader's epoch {@code epoch}, its updates numbered from {@code firstStep}. */
        EpochTotals trainEpoch(ClipLoader loader, long firstStep, int epoch) {
            manager.getEngine().setRandomSeed(engineSeed(config.seed(), epoch));
            listener.epochStarted(epoch + 1, config.schedule().epochs(), loader.batches());
            EpochTotals totals = new EpochTotals(firstStep, task.newEpoch());
            int batchIndex = 0;
            try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
                Iterator<ClipBatch> next = batches.iterator();
                while (true) {
                    // The time the model stands idle because the loader has no batch ready yet.
                    long waiting = System.nanoTime();
                    if (!next.hasNext()) {
                        break;
                    }
                    ClipBatch batch = next.next();
                    long updating = System.nanoTime();
                    totals.loaderWaitNanos += updating - waiting;
                    float lr = schedule.getNewValue((int) Math.min(Integer.MAX_VALUE, totals.step));
                    update(batch, lr, epoch, totals);
                    totals.updateNanos += System.nanoTime() - updating;
                    totals.step++;
                    totals.lastLr = lr;
                    listener.batchFinished(new TrainingListener.BatchProgress(epoch + 1, ++batchIndex,
                            totals.metrics.meanLoss(), totals.metrics.summary(), totals.clipsPerSecond(), lr));
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
                boolean finiteGradients;
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDList out = model.forward(parameters, inputs.inputs(), true);
                    NDArray loss = task.loss(out, inputs.targets());
                    value = loss.getFloat();
                    if (!Float.isFinite(value)) {
                        throw new IllegalStateException(NumericFault.inForward(value, epoch + 1, totals.step + 1,
                                inputs.inputs(), model, previousLoss, lr, step));
                    }
                    collector.backward(loss);
                    finiteGradients = NumericFault.gradientsFinite(model, step);
                    outputs = out.singletonOrThrow().stopGradient().toFloatArray();
                }
                if (!finiteGradients) {
                    throw new IllegalStateException(NumericFault.inBackward(value, epoch + 1, totals.step + 1,
                            previousLoss, lr));
                }
                Double clipGradNorm = config.optimizer().clipGradNorm();
                if (clipGradNorm != null) {
                    GradientClipping.clip(model, clipGradNorm, step);
                }
                optimizer.step(model.getParameters(), lr, step, lrScale);
                previousLoss = value;
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
        /** Time spent waiting for the loader's next batch, and time spent in updates. */
        long loaderWaitNanos;
        long updateNanos;

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
        private ModelInit init;

        private Builder() {}

        /**
         * Applied to the model once it is initialised (from the seed), before any resume: e.g. a
         * pretrained encoder's weights for fine-tuning. A resumed run then takes the checkpoint's.
         */
        public Builder optInit(ModelInit init) {
            this.init = init;
            return this;
        }

        /** Where flow comes from, for models that take it ({@link DataConfig#modality()}). */
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
         * yet). The configuration must equal the saved one except for the data location, the workers and
         * the best metric.
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** The dataset, already read; default: {@link DataConfig#open()}. */
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
