package dev.kinema.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.train.FeatureCache;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kinema features}: caches a model's per-frame CNN features of every video, for {@code train --features}. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cache per-frame CNN features of every video of a dataset (one whole-video clip each, centre crop,",
            "the model's features averaged over space: D x T per video), so `kinema train --features FEATS` trains",
            "a recurrent head (lrcn) on them without decoding a video or building the CNN."})
final class FeaturesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--run", paramLabel = "RUN", description = "A trained run whose model's features are cached (its input too).")
        Path run;

        @Option(names = "--model", paramLabel = "NAME", description = "A registry model, untrained (seeded initialisation).")
        String model;
    }

    @Option(names = "--backbone", paramLabel = "B", description = "With --model: its 2D backbone (small, resnet18).")
    String backbone;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset root.")
    Path data;

    @Option(names = "--out", paramLabel = "FEATS", required = true, description = "Cache folder (features.json, SPLIT/NNNNN.npy).")
    Path out;

    @Mixin
    ClipOptions clip;

    @Option(names = "--workers", paramLabel = "W", description = "Decoding threads (default 2).")
    int workers = 2;

    @Option(names = "--seed", paramLabel = "S", description = "With --model: the initialisation seed (default 0).")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        VideoDataset dataset = DatasetFormats.open(data);
        long t0 = System.nanoTime();
        FeatureCache.Index index;
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model;
            ModelInput input;
            String sourceRun = null;
            if (source.run != null) {
                RunDir dir = RunDir.open(source.run);
                if (!dir.labels().equals(dataset.labels())) {
                    o.println("note: the run's classes differ from the dataset's; the features do not depend on them");
                }
                Block block = dir.loadModel(manager, ModelFactory.registry());
                if (!(block instanceof VideoModel m)) {
                    throw new IllegalArgumentException(source.run + ": a TorchScript run has no per-frame features to cache");
                }
                model = m;
                // The CNN runs per frame, so the cached clip may be longer than the run's: --frames, --fps or --stride.
                ModelInput run = dir.config().input();
                Integer stride = clip.rate != null ? clip.rate.stride : clip.frames != null ? null : run.frameStride();
                Double fps = clip.rate != null ? clip.rate.fps : clip.frames != null ? null : run.targetFps();
                input = clip.frames == null && clip.rate == null ? run : new ModelInput(
                        clip.frames != null ? clip.frames : run.frames(), stride == null && fps == null ? run.frameStride() : stride,
                        stride == null && fps == null ? run.targetFps() : fps, run.size(), run.resize());
                sourceRun = source.run.toString();
            } else {
                ModelConfig.Builder b = ModelConfig.builder().setNumClasses(dataset.numClasses());
                if (clip.frames != null) {
                    b.optFrames(clip.frames);
                }
                if (clip.size != null) {
                    b.optSize(clip.size);
                }
                if (backbone != null) {
                    b.optBackbone(backbone);
                }
                model = ModelRegistry.create(source.model, b.build());
                Engine.getInstance().setRandomSeed(Math.toIntExact(seed & 0x7fffffff));
                model.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1).addAll(model.inputShape()));
                int size = model.config().size();
                Integer stride = clip.rate != null ? clip.rate.stride : null;
                Double fps = clip.rate != null ? clip.rate.fps : null;
                input = new ModelInput(model.config().frames(), stride == null && fps == null ? Integer.valueOf(4) : stride,
                        fps, size, clip.resize != null ? clip.resize : ModelInput.defaultResize(size));
            }
            o.printf(Locale.ROOT, "caching %s features of %d videos (%d frames, %d px) -> %s%n", model.name(),
                    dataset.size(), input.frames(), input.size(), out);
            index = FeatureCache.write(out, model, input, dataset, sourceRun, workers, done -> {});
        }
        int videos = index.splits().values().stream().mapToInt(java.util.List::size).sum();
        o.printf(Locale.ROOT, "wrote %d videos' features (%d x %d each) in %.1f s%n", videos, index.channels(),
                index.frames(), (System.nanoTime() - t0) / 1e9);
        o.flush();
        return 0;
    }
}
