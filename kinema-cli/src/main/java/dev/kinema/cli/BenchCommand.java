package dev.kinema.cli;

import dev.kinema.bench.DecodeBenchmark;
import dev.kinema.bench.LoaderBenchmark;
import dev.kinema.bench.ModelBenchmark;
import dev.kinema.bench.SgemmPeak;
import dev.kinema.bench.StreamBenchmark;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.nn.InferenceOptions;
import dev.kinema.video.ReaderOptions;
import java.io.IOException;
import java.util.List;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema bench}: measured speed, for side-by-side comparison with the Python peers. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; compare with the scripts under tools/bench/ (see docs/benchmarks.md).",
        subcommands = {BenchCommand.Decode.class, BenchCommand.Loader.class, BenchCommand.Flow.class,
            BenchCommand.Model.class, BenchCommand.Stream.class, BenchCommand.Sgemm.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Clips/s decoding T×size×size RGB clips from FILE.",
                "uniform: T frames over the whole video (test time); random: one T-frame clip at --stride (training)."})
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--frames", defaultValue = "16", description = "Frames per clip (default: ${DEFAULT-VALUE}).")
        int frames;

        @Option(names = "--size", defaultValue = "112", description = "Output size, square (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--clips", defaultValue = "50", description = "Timed clips (default: ${DEFAULT-VALUE}).")
        int clips;

        @Option(names = "--mode", defaultValue = "uniform", description = "uniform or random (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--stride", defaultValue = "4", description = "Frame stride of random clips (default: ${DEFAULT-VALUE}).")
        int stride;

        @Option(names = "--threads", defaultValue = "0", description = "Decoder threads, 0 = FFmpeg's choice (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Option(names = "--keep-open", description = "One reader for all clips instead of one per clip.")
        boolean keepOpen;

        @Option(names = "--thread-type", defaultValue = "FRAME",
                description = "FRAME, SLICE or FRAME_OR_SLICE: how a reader's threads share the work (default: ${DEFAULT-VALUE}).")
        ReaderOptions.ThreadType threadType;

        @Option(names = "--strategy", defaultValue = "AUTO",
                description = "AUTO (seek to the keyframe when it skips packets), SEEK or SEQUENTIAL (default: ${DEFAULT-VALUE}).")
        ReaderOptions.Strategy strategy;

        @Option(names = "--concurrent", defaultValue = "1",
                description = "Clips decoded at once, a reader and thread each, as the loader does a batch (default: ${DEFAULT-VALUE}).")
        int concurrent;

        @Override
        public Integer call() {
            DecodeBenchmark.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
                case "uniform" -> DecodeBenchmark.Mode.UNIFORM;
                case "random" -> DecodeBenchmark.Mode.RANDOM;
                default -> throw new IllegalArgumentException("--mode must be uniform or random, not '" + mode + "'");
            };
            DecodeBenchmark.Result r = DecodeBenchmark.of(file).optMode(m).optFrames(frames).optSize(size)
                    .optClips(clips).optStride(stride).optThreads(threads).optThreadType(threadType)
                    .optStrategy(strategy).optConcurrent(concurrent).optSeed(seed).optReopen(!keepOpen).run();
            spec.commandLine().getOut().println(Json.line(r));
            return 0;
        }
    }

    @Command(name = "loader", mixinStandardHelpOptions = true,
            description = {"Clips/s of the clip loader on a dataset's train split, for each worker count.",
                "Pipeline: random clip, short side scaled while decoding, random crop, flip, normalise, collate."})
    static final class Loader implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Dataset root (e.g. from kinema synth).")
        Path dir;

        @Option(names = "--workers", split = ",", defaultValue = "1,2,4", description = "Worker counts (default: ${DEFAULT-VALUE}).")
        List<Integer> workers;

        @Option(names = "--batches", defaultValue = "30", description = "Timed batches (default: ${DEFAULT-VALUE}).")
        int batches;

        @Option(names = "--batch", defaultValue = "8", description = "Videos per batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--clip-len", defaultValue = "16")
        int clipLen;

        @Option(names = "--stride", defaultValue = "2")
        int stride;

        @Option(names = "--size", defaultValue = "112", description = "Crop size (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--short-side", defaultValue = "128", description = "Decoded short side (default: ${DEFAULT-VALUE}).")
        int shortSide;

        @Option(names = "--split", defaultValue = "train")
        String split;

        @Override
        public Integer call() throws IOException {
            List<VideoSample> samples = DatasetFormats.open(dir).samples(split);
            for (int w : workers) {
                LoaderBenchmark.Result r = LoaderBenchmark.run(samples, w, batches, batch, clipLen, stride, size, shortSide, 2);
                spec.commandLine().getOut().println(Json.line(r));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "flow", mixinStandardHelpOptions = true,
            description = {"Optical flow pairs/s on the first PAIRS+1 frames of FILE (decoded and made gray once, untimed).",
                "Compare with tools/bench/opencv_flow.py (same frames and parameters, see docs/benchmarks.md)."})
    static final class Flow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--method", defaultValue = "tvl1",
                description = "tvl1, farneback, dis-ultrafast, dis-fast (dis), dis-medium (default: ${DEFAULT-VALUE}).")
        String method;

        @Option(names = "--size", defaultValue = "128", description = "Short side, px (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--pairs", defaultValue = "20", description = "Timed pairs (default: ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed pairs first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--threads", defaultValue = "1", description = "OpenCV threads, cv::setNumThreads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--repeat", defaultValue = "1", description = "Runs, one JSON line each (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Override
        public Integer call() {
            dev.kinema.flow.FlowBenchmark bench = dev.kinema.flow.FlowBenchmark.of(file)
                    .optMethod(dev.kinema.flow.FlowMethod.parse(method)).optSize(size).optPairs(pairs)
                    .optWarmup(warmup).optThreads(threads);
            for (int r = 0; r < repeat; r++) {
                spec.commandLine().getOut().println(Json.line(bench.run()));
            }
            return 0;
        }
    }

    @Command(name = "model", mixinStandardHelpOptions = true,
            description = {"Seconds per inference (eval forward, no autograd) and, with --train, per training step "
                + "(forward, cross-entropy, backward, SGD update) of a registered model on a random batch.",
                "Compare with tools/bench/torch_model_bench.py (torchvision, same threads); see docs/benchmarks.md."})
    static final class Model implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Registered model, e.g. r3d_18 (see kinema models).")
        String name;

        @Option(names = "--input", defaultValue = "3x16x112x112", description = "One clip, CxTxHxW (default: ${DEFAULT-VALUE}).")
        String input;

        @Option(names = "--batch", defaultValue = "1", description = "Clips per batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--train", description = "Also time a training step.")
        boolean train;

        @Option(names = "--classes", defaultValue = "400", description = "Classes (default: ${DEFAULT-VALUE}).")
        int classes;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed runs; the median is reported (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--threads", defaultValue = "0",
                description = "PyTorch intra-op threads, 0 = the engine's default (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--json", description = "One JSON line per mode instead of text.")
        boolean json;

        @Option(names = "--profile", paramLabel = "PREFIX",
                description = "Write libtorch's operator profile of the timed runs to PREFIX-inference.json "
                        + "(and PREFIX-train.json), Chrome traces; summarise with tools/bench/profile_summary.py.")
        String profile;

        @Option(names = "--fuse-bn", negatable = true, defaultValue = "${sys:kinema.fuseBn:-true}", fallbackValue = "true",
                description = "Inference: fold each batch norm into the convolution before it (default: ${DEFAULT-VALUE};"
                        + " the system property kinema.fuseBn, as in kinema classify).")
        boolean fuseBn;

        @Option(names = "--two-halves", negatable = true, defaultValue = "${sys:kinema.twoHalves:-false}",
                fallbackValue = "true",
                description = "Inference: run a batch of one's small convolutions as two halves on oneDNN (default:"
                        + " ${DEFAULT-VALUE}; the system property kinema.twoHalves).")
        boolean twoHalves;

        @Override
        public Integer call() {
            System.setProperty(InferenceOptions.FUSE_BN, Boolean.toString(fuseBn));
            System.setProperty(InferenceOptions.TWO_HALVES, Boolean.toString(twoHalves));
            ModelBenchmark bench = ModelBenchmark.of(name).optInput(ModelBenchmark.parseInput(input)).optBatch(batch)
                    .optClasses(classes).optWarmup(warmup).optRepeats(repeats).optThreads(threads);
            List<ModelBenchmark.Mode> modes = train
                    ? List.of(ModelBenchmark.Mode.INFERENCE, ModelBenchmark.Mode.TRAIN)
                    : List.of(ModelBenchmark.Mode.INFERENCE);
            for (ModelBenchmark.Mode mode : modes) {
                if (profile != null) {
                    bench.optProfile(Path.of(profile + "-" + mode.name().toLowerCase(Locale.ROOT) + ".json"));
                }
                ModelBenchmark.Result r = bench.run(mode);
                if (json) {
                    spec.commandLine().getOut().println(Json.line(r));
                } else {
                    spec.commandLine().getOut().printf(Locale.ROOT,
                            "%s %s: %.4f s per batch of %d (median of %d, min %.4f; CPU %.4f s), %.2f clips/s, %.1f GFLOP/s, %d threads, %s%n",
                            r.model(), r.mode() == ModelBenchmark.Mode.TRAIN ? "training step" : "inference",
                            r.medianSeconds(), r.batch(), r.repeats(), r.minSeconds(), r.medianCpuSeconds(), r.clipsPerSecond(),
                            r.gflopPerSecond(), r.threads(), r.engine());
                }
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "stream", mixinStandardHelpOptions = true,
            description = {"Milliseconds per frame of a causal model run live: streaming (each frame once, through the",
                "stream buffers) against sliding windows (the last T frames through the network at every frame)."})
    static final class Stream implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", defaultValue = "stream-x3d-s", description = "A stream-* model (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--size", defaultValue = "160", description = "Frame size, square (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--window", defaultValue = "13", description = "Sliding window T in frames (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--frames", defaultValue = "30", description = "Timed frames (default: ${DEFAULT-VALUE}).")
        int frames;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed frames first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() {
            for (StreamBenchmark.Result r : StreamBenchmark.run(name, size, window, frames, warmup)) {
                spec.commandLine().getOut().println(Json.line(r));
            }
            return 0;
        }
    }

    @Command(name = "sgemm", mixinStandardHelpOptions = true,
            description = {"The machine's float32 matrix-multiply peak through libtorch (GFLOP/s of an n x n product),",
                "the ceiling for the model GFLOP/s of kinema bench model and kinema train."})
    static final class Sgemm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--size", defaultValue = "2048", description = "Matrix side n (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--threads", defaultValue = "0",
                description = "PyTorch intra-op threads, 0 = the engine's default (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed products first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--repeats", defaultValue = "10", description = "Timed products (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--json", description = "One JSON line instead of text.")
        boolean json;

        @Override
        public Integer call() {
            SgemmPeak.Result r = SgemmPeak.create().optSize(size).optThreads(threads).optWarmup(warmup)
                    .optRepeats(repeats).run();
            if (json) {
                spec.commandLine().getOut().println(Json.line(r));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "sgemm %dx%d: best %.1f GFLOP/s, median %.1f GFLOP/s (%d products), %d threads, %s%n",
                        r.size(), r.size(), r.bestGflopPerSecond(), r.medianGflopPerSecond(), r.repeats(), r.threads(),
                        r.engine());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
