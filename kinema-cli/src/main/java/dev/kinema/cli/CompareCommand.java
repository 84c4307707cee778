package dev.kinema.cli;

import dev.kinema.io.FileTrees;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.Modality;
import dev.kinema.eval.LinearFusion;
import dev.kinema.flow.FlowSource;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.StatefulOptimizer;
import ai.djl.ndarray.types.DataType;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.io.AtomicFiles;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.synth.ActionKind;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema compare}: the lecture's model comparison on your data. Each model is trained with
 * the same recipe, evaluated on the test split (softmax averaged over several clips per video), and
 * reported with its parameters, multiply-adds per clip and training and inference speed. On
 * Kinema-Motion, accuracy is also split into appearance and motion-only classes.
 *
 * <p>Two-stream entries: {@code spatial-stream} and {@code temporal-stream} are trained like any
 * model (the temporal stream on flow stacks of {@code --flow-length} fields); {@code two-stream-avg}
 * and {@code two-stream-linear} are built from those two trained streams without retraining
 * (probabilities averaged, or a logistic regression fitted on their pooled features over the
 * training clips), so they must come after both streams in {@code --models}. Each gets a run
 * directory that {@code kinema eval} and {@code kinema classify} read.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train and evaluate several models with one recipe and tabulate video top-1, params, GFLOPs",
            "(multiply-adds) per clip and clips/s; writes OUT/compare.md and OUT/compare.json."})
final class CompareCommand implements Callable<Integer> {
    /** One model's line in the table. */
    record Row(String model, String clip, double videoTop1, Double appearanceTop1, Double motionTop1,
            long params, double gmacsPerClip, Double trainClipsPerSecond, double inferenceClipsPerSecond,
            int testVideos) {}

    /** The fusions of two trained streams, and the two-stream model each becomes. */
    static final Map<String, String> FUSIONS = Map.of("two-stream-avg", "two-stream", "two-stream-linear",
            "two-stream-linear");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset with train, val and test splits.")
    Path data;

    @Option(names = "--models", split = ",", defaultValue = "single-frame,late-fusion-pool,late-fusion-fc,early-fusion,slow-fusion,c3d",
            description = "Models (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--out", defaultValue = "kinema-out/compare", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "10")
    int epochs;

    @Option(names = "--frames", defaultValue = "8", description = "Frames per clip; raised to what a model needs (C3D: 16).")
    int frames;

    @Option(names = "--stride", defaultValue = "3")
    int stride;

    @Option(names = "--size", defaultValue = "56")
    int size;

    @Option(names = "--batch", defaultValue = "8")
    int batch;

    @Option(names = "--lr", description = "Peak learning rate (default: the optimizer's).")
    Double lr;

    @Option(names = "--clips", defaultValue = "5", description = "Test clips per video (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--no-flip", description = "No random flips (Kinema-Motion's left/right classes need this).")
    boolean noFlip;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--workers", defaultValue = "2")
    int workers;

    @Option(names = "--flow-length", defaultValue = "10",
            description = "Flow fields per stack for the temporal stream and two-stream (default: ${DEFAULT-VALUE}).")
    int flowLength;

    @Option(names = "--fusion-clips", defaultValue = "3",
            description = "Clips per training video two-stream-linear's classifier is fitted on (default: ${DEFAULT-VALUE}).")
    int fusionClips;

    @Mixin
    FlowOptions flow;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        VideoDataset dataset = DatasetFormats.open(data);
        List<Row> rows = new ArrayList<>();
        for (String name : models) {
            if (FUSIONS.containsKey(name)) {
                o.printf(Locale.ROOT, "== %s (the trained spatial and temporal streams, fused)%n", name);
                rows.add(fuse(o, dataset, name));
                continue;
            }
            Modality modality = ModelCards.modalityOf(name);
            // C3D's five 2x2x2 pools need 16 frames; flow models take stacks of L fields; every other model takes the clip as given.
            int t = modality.needsFlow() ? flowLength : name.equals("c3d") ? Math.max(frames, 16) : frames;
            o.printf(Locale.ROOT, "== %s (%s clips)%n", name, clip(t, modality));
            rows.add(compare(o, dataset, name, t, modality));
        }
        String markdown = markdown(rows);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("compare.md"), s -> s.write(markdown.getBytes(StandardCharsets.UTF_8)));
        String json = Json.pretty(rows);
        AtomicFiles.write(out.resolve("compare.json"), s -> s.write(json.getBytes(StandardCharsets.UTF_8)));
        o.println();
        o.print(markdown);
        o.println("wrote " + out.resolve("compare.md") + " and " + out.resolve("compare.json"));
        return 0;
    }

    private String clip(int t, Modality modality) {
        return t + "x" + size + "x" + size + (modality == Modality.RGB ? "" : " " + modality);
    }

    private Row compare(PrintWriter o, VideoDataset dataset, String name, int t, Modality modality) throws IOException {
        Path run = out.resolve("runs").resolve(name);
        FileTrees.deleteRecursively(run);
        TrainConfig.Builder builder = TrainConfig.builder().setData(data.toString()).setModel(name).optFrames(t)
                .optSize(size).optEpochs(epochs).optBatch(batch).optFlip(!noFlip).optSeed(seed).optWorkers(workers);
        if (!modality.needsFlow()) {
            builder.optStride(stride);
        }
        if (lr != null) {
            builder.optLr(lr);
        }
        flow.applyTo(builder);
        TrainConfig config = builder.build();
        FlowSource source = flow.sourceFor(config);
        TrainProgress progress = new TrainProgress(o, epochs);
        List<EpochMetrics> history;
        try {
            history = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry())
                    .setRunDirectory(run).optListener(progress).optFlowSource(source).build().fit();
        } finally {
            progress.finish();
        }
        double trainSpeed = history.stream().mapToDouble(EpochMetrics::clipsPerSecond).sorted()
                .skip(history.size() / 2).findFirst().orElse(Double.NaN);

        RunDir dir = RunDir.open(run);
        EvalResult result;
        long start;
        double seconds;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = dir.loadModel(manager, ModelFactory.registry());
            start = System.nanoTime();
            result = Evaluator.builder().setModel(model).setInput(dir.config().input()).setClasses(dir.labels())
                    .optClips(clips).optWorkers(workers).optFlowSource(source).build().evaluate(dataset.samples("test"));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return row(name, name, t, modality, dir.labels().size(), result, seconds, trainSpeed);
    }

    private Row row(String label, String model, int t, Modality modality, int classes, EvalResult result,
            double seconds, Double trainSpeed) {
        Map<ActionKind, long[]> byKind = KinemaMotion.accuracyByKind(result.classes(), result.confusion());
        VideoModel shape = ModelRegistry.create(model, ModelConfig.builder().setNumClasses(classes)
                .optFrames(t).optSize(size).build());
        return new Row(label, clip(t, modality), result.videoTop1(), share(byKind.get(ActionKind.APPEARANCE)),
                share(byKind.get(ActionKind.MOTION)), shape.parameterCount(), shape.macs() / 1e9, trainSpeed,
                (double) result.videos() * result.clips() / seconds, result.videos());
    }

    /**
     * A two-stream model made of the spatial and temporal streams trained earlier in this run:
     * probabilities averaged, or a linear classifier fitted on their pooled training features.
     * Written as a run directory, then evaluated like the others.
     */
    private Row fuse(PrintWriter o, VideoDataset dataset, String name) throws IOException {
        String model = FUSIONS.get(name);
        RunDir spatial = trainedStream("spatial-stream", name);
        RunDir temporal = trainedStream("temporal-stream", name);
        if (!spatial.labels().equals(temporal.labels())) {
            throw new IllegalArgumentException("the spatial and temporal streams were trained on different classes");
        }
        List<String> labels = temporal.labels();
        TrainConfig config = temporal.config().toBuilder().setModel(model).optModality(Modality.RGB_FLOW).build();
        FlowSource source = flow.sourceFor(config);
        Path run = out.resolve("runs").resolve(name);
        FileTrees.deleteRecursively(run);
        EvalResult result;
        double seconds;
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer none = StatefulOptimizer.create(config.optimizer().name(), manager, 0f)) {
            VideoModel fused = ModelRegistry.create(model, ModelConfig.builder().setNumClasses(labels.size())
                    .optFrames(config.data().frames()).optSize(config.data().size()).build());
            fused.initialize(manager, DataType.FLOAT32, config.input().shape(1));
            TwoStreamModels.loadStream(fused, (VideoModel) spatial.loadModel(manager, ModelFactory.registry()));
            TwoStreamModels.loadStream(fused, (VideoModel) temporal.loadModel(manager, ModelFactory.registry()));
            if (model.equals("two-stream-linear")) {
                long started = System.nanoTime();
                LinearFusion.fit(fused, config.input(), dataset.samples("train"), source, fusionClips, workers);
                o.printf(Locale.ROOT, "   fitted the linear fusion on %d clips of each training video in %.1f s%n",
                        fusionClips, (System.nanoTime() - started) / 1e9);
            }
            RunDir dir = RunDir.create(run, config, labels);
            Checkpoint.write(dir.checkpoint(), new Checkpoint.Header(config, labels, 0, 0, List.of()), fused, none);
            long start = System.nanoTime();
            result = Evaluator.builder().setModel(fused).setInput(config.input()).setClasses(labels).optClips(clips)
                    .optWorkers(workers).optFlowSource(source).build().evaluate(dataset.samples("test"));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        o.printf(Locale.ROOT, "   video top-1 %.1f%% (run: %s)%n", 100 * result.videoTop1(), run);
        return row(name, model, config.data().frames(), Modality.RGB_FLOW, labels.size(), result, seconds, null);
    }

    private RunDir trainedStream(String stream, String fusion) throws IOException {
        Path dir = out.resolve("runs").resolve(stream);
        RunDir run = java.nio.file.Files.isRegularFile(dir.resolve(RunDir.CHECKPOINT)) ? RunDir.open(dir) : null;
        if (run == null || !run.config().model().equals(stream)) {
            throw new IllegalArgumentException(fusion + " fuses the trained streams: put spatial-stream and "
                    + "temporal-stream before it in --models (no trained " + stream + " in " + dir + ")");
        }
        return run;
    }

    private static Double share(long[] counts) {
        return counts == null ? null : (double) counts[0] / counts[1];
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| model | clip | video top-1 | appearance classes | motion-only classes | params | GFLOPs/clip | train clips/s | inference clips/s |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %s | %s | %,d | %.2f | %s | %.1f |%n",
                    r.model(), r.clip(), 100 * r.videoTop1(), percent(r.appearanceTop1()), percent(r.motionTop1()),
                    r.params(), r.gmacsPerClip(), r.trainClipsPerSecond() == null ? "-"
                            : String.format(Locale.ROOT, "%.1f", r.trainClipsPerSecond()), r.inferenceClipsPerSecond()));
        }
        b.append("GFLOPs are multiply-adds per clip (the lecture's and torchvision's convention).\n");
        if (rows.stream().anyMatch(r -> FUSIONS.containsKey(r.model()))) {
            b.append("two-stream-avg and two-stream-linear are the trained spatial and temporal streams fused without "
                    + "retraining; their params and GFLOPs are both streams'.\n");
        }
        return b.toString();
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

}
