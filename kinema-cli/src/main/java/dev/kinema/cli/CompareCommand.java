package dev.kinema.cli;

import dev.kinema.io.FileTrees;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema compare}: the lecture's model comparison on your data. Each model is trained with
 * the same recipe, evaluated on the test split (softmax averaged over several clips per video), and
 * reported with its parameters, multiply-adds per clip and training and inference speed. On
 * Kinema-Motion, accuracy is also split into appearance and motion-only classes.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train and evaluate several models with one recipe and tabulate video top-1, params, GFLOPs",
            "(multiply-adds) per clip and clips/s; writes OUT/compare.md and OUT/compare.json."})
final class CompareCommand implements Callable<Integer> {
    /** One model's line in the table. */
    record Row(String model, String clip, double videoTop1, Double appearanceTop1, Double motionTop1,
            long params, double gmacsPerClip, double trainClipsPerSecond, double inferenceClipsPerSecond,
            int testVideos) {}

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

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        VideoDataset dataset = DatasetFormats.open(data);
        List<Row> rows = new ArrayList<>();
        for (String name : models) {
            // C3D's five 2x2x2 pools need 16 frames; every other model takes the clip as given.
            int t = name.equals("c3d") ? Math.max(frames, 16) : frames;
            o.printf(Locale.ROOT, "== %s (%dx%dx%d clips)%n", name, t, size, size);
            rows.add(compare(o, dataset, name, t));
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

    private Row compare(PrintWriter o, VideoDataset dataset, String name, int t) throws IOException {
        Path run = out.resolve("runs").resolve(name);
        FileTrees.deleteRecursively(run);
        TrainConfig.Builder config = TrainConfig.builder().setData(data.toString()).setModel(name).optFrames(t)
                .optStride(stride).optSize(size).optEpochs(epochs).optBatch(batch).optFlip(!noFlip).optSeed(seed)
                .optWorkers(workers);
        if (lr != null) {
            config.optLr(lr);
        }
        TrainProgress progress = new TrainProgress(o, epochs);
        List<EpochMetrics> history;
        try {
            history = Trainer.builder().setConfig(config.build()).setModelFactory(ModelFactory.registry())
                    .setRunDirectory(run).optListener(progress).build().fit();
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
                    .optClips(clips).optWorkers(workers).build().evaluate(dataset.samples("test"));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        Map<ActionKind, long[]> byKind = KinemaMotion.accuracyByKind(result.classes(), result.confusion());
        VideoModel shape = ModelRegistry.create(name, ModelConfig.builder().setNumClasses(dir.labels().size())
                .optFrames(t).optSize(size).build());
        return new Row(name, t + "x" + size + "x" + size, result.videoTop1(), share(byKind.get(ActionKind.APPEARANCE)),
                share(byKind.get(ActionKind.MOTION)), shape.parameterCount(), shape.macs() / 1e9, trainSpeed,
                (double) result.videos() * result.clips() / seconds, result.videos());
    }

    private static Double share(long[] counts) {
        return counts == null ? null : (double) counts[0] / counts[1];
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| model | clip | video top-1 | appearance classes | motion-only classes | params | GFLOPs/clip | train clips/s | inference clips/s |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %s | %s | %,d | %.2f | %.1f | %.1f |%n",
                    r.model(), r.clip(), 100 * r.videoTop1(), percent(r.appearanceTop1()), percent(r.motionTop1()),
                    r.params(), r.gmacsPerClip(), r.trainClipsPerSecond(), r.inferenceClipsPerSecond()));
        }
        b.append("GFLOPs are multiply-adds per clip (the lecture's and torchvision's convention).\n");
        return b.toString();
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

}
