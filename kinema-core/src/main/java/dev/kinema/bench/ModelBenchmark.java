package dev.kinema.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.ConvNormFolding;
import dev.kinema.nn.InferenceOptions;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.StepFlops;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Seconds per batch of a registered model, the two ways it runs: {@link Mode#INFERENCE} (eval-mode
 * forward, no autograd graph) and {@link Mode#TRAIN} (forward in training mode, cross-entropy,
 * backward, an SGD-with-momentum update: what {@link dev.kinema.train.Trainer} does per batch).
 *
 * <p>After warm-up, every repeat is timed on its own and the median is reported. Every repeat
 * runs in its own {@link NDManager}, so nothing accumulates across steps. The side-by-side script
 * {@code tools/bench/torch_model_bench.py} does the same work with torchvision's models.
 */
public final class ModelBenchmark {
    /** What is timed. */
    public enum Mode { INFERENCE, TRAIN }

    /**
     * One mode's outcome. {@code seconds} are the timed repeats in order; {@code threads} and
     * {@code interopThreads} are PyTorch's intra- and inter-op thread counts during the run;
     * {@code medianCpuSeconds} is the process's CPU time per repeat (all threads), which other
     * load on the machine disturbs less than wall time; {@code arraysLeftBehind} counts the
     * NDArrays that the steps after the first left alive (0 unless something leaks);
     * {@code macsPerClip} is the profiler's count and {@code gflopPerSecond} the model FLOPs per
     * second at the median ({@link StepFlops}: 2 per MAC for inference, 6 for a training step), to be
     * read against {@link SgemmPeak}; {@code fuseBn} and {@code twoHalves} are the eval-mode switches
     * of {@link InferenceOptions} the run had (they change inference only).
     */
    public record Result(String model, Mode mode, int batch, long[] input, int classes, int warmup, int repeats,
            int threads, int interopThreads, String engine, double medianSeconds, double minSeconds,
            double clipsPerSecond, double medianCpuSeconds, int arraysLeftBehind, double[] seconds, long macsPerClip,
            double gflopPerSecond, boolean fuseBn, boolean twoHalves) {}

    private final String model;
    private Shape input = new Shape(3, 16, 112, 112);
    private int batch = 1;
    private int classes = 400;
    private int warmup = 2;
    private int repeats = 5;
    private int threads;
    private static final float LEARNING_RATE = 0.01f;
    private long seed = 0;
    private Path profile;

    private ModelBenchmark(String model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** A benchmark of the registered model called {@code name}. */
    public static ModelBenchmark of(String name) {
        return new ModelBenchmark(name);
    }

    /** One clip's shape, C×T×H×W (default 3×16×112×112). */
    public ModelBenchmark optInput(Shape cthw) {
        if (cthw.dimension() != 4) {
            throw new IllegalArgumentException("the input is one clip, C x T x H x W, got " + cthw);
        }
        if (cthw.get(2) != cthw.get(3)) {
            throw new IllegalArgumentException("models here take square frames, got " + cthw.get(2) + "x" + cthw.get(3));
        }
        this.input = cthw;
        return this;
    }

    public ModelBenchmark optBatch(int batch) {
        this.batch = batch;
        return this;
    }

    public ModelBenchmark optClasses(int classes) {
        this.classes = classes;
        return this;
    }

    public ModelBenchmark optWarmup(int warmup) {
        this.warmup = warmup;
        return this;
    }

    public ModelBenchmark optRepeats(int repeats) {
        this.repeats = repeats;
        return this;
    }

    /** PyTorch intra-op threads; 0 (default) keeps the engine's. */
    public ModelBenchmark optThreads(int threads) {
        this.threads = threads;
        return this;
    }

    /**
     * Records libtorch's own profile of the timed repeats (every operator with its input shapes, as
     * PyTorch's autograd profiler sees it) to {@code traceFile}, a Chrome trace (JSON); where the time
     * goes, summed per operator by {@code tools/bench/profile_summary.py}. Profiling slows the run.
     */
    public ModelBenchmark optProfile(Path traceFile) {
        this.profile = traceFile;
        return this;
    }

    public ModelBenchmark optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Parses {@code 3x16x112x112} as a clip shape. */
    public static Shape parseInput(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("--input is C x T x H x W, e.g. 3x16x112x112, got '" + text + "'");
        }
        long[] dims = new long[4];
        for (int i = 0; i < 4; i++) {
            try {
                dims[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--input is C x T x H x W, e.g. 3x16x112x112, got '" + text + "'", e);
            }
            if (dims[i] < 1) {
                throw new IllegalArgumentException("--input sizes must be >= 1, got '" + text + "'");
            }
        }
        return new Shape(dims);
    }

    /** Times one mode. */
    public Result run(Mode mode) {
        if (batch < 1 || repeats < 1 || warmup < 0 || classes < 1) {
            throw new IllegalArgumentException("batch, repeats and classes must be >= 1 and warmup >= 0");
        }
        Engine engine = Engine.getEngine("PyTorch"); // loads the native library before any JniUtils call
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        VideoModel net = ModelRegistry.create(model, ModelConfig.builder().setNumClasses(classes)
                .optChannels((int) input.get(0)).optFrames((int) input.get(1)).optSize((int) input.get(2)).build());
        if (mode == Mode.INFERENCE) {
            ConvNormFolding.apply(net);   // as the Predictor path does; InferenceOptions.FUSE_BN turns it off
        }
        Shape batchShape = new Shape(batch).addAll(input);
        double[] seconds = new double[repeats];
        double[] cpuSeconds = new double[repeats];
        int arraysAfterFirstStep = 0;
        int arraysAtEnd = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            net.initialize(manager, DataType.FLOAT32, batchShape);
            NDArray clips = manager.randomNormal(batchShape);
            float[] labelValues = new float[batch];
            for (int i = 0; i < batch; i++) {
                labelValues[i] = i % classes;
            }
            try (StatefulOptimizer sgd = StatefulOptimizer.sgd(manager, 0.9f, 0f)) {
                Loss loss = Loss.softmaxCrossEntropyLoss();
                for (int i = -warmup; i < repeats; i++) {
                    if (i == 0 && profile != null) {
                        JniUtils.startProfile(false, true, false);
                    }
                    long start = System.nanoTime();
                    long cpuStart = processCpuNanos();
                    try (NDManager step = manager.newSubManager()) {
                        // Every array computed from the clips lands in the step's manager, and is freed with it.
                        clips.tempAttach(step);
                        ParameterStore parameters = new ParameterStore(step, false);
                        if (mode == Mode.INFERENCE) {
                            net.forward(parameters, new NDList(clips), false).singletonOrThrow().toFloatArray();
                        } else {
                            NDArray labels = step.create(labelValues);
                            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                                NDArray logits = net.forward(parameters, new NDList(clips), true).singletonOrThrow();
                                NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
                                collector.backward(l);
                            }
                            sgd.step(net.getParameters(), LEARNING_RATE, step);
                        }
                    }
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - start) / 1e9;
                        cpuSeconds[i] = (processCpuNanos() - cpuStart) / 1e9;
                    }
                    if (i == -warmup) {
                        // The first step also creates what lives on (e.g. the optimizer's momentum).
                        arraysAfterFirstStep = manager.getManagedArrays().size();
                    }
                }
                if (profile != null) {
                    JniUtils.stopProfile(profile.toAbsolutePath().toString());
                }
                arraysAtEnd = manager.getManagedArrays().size();
            }
        }
        double median = median(seconds);
        long macs = net.macs(input);
        double flopsPerClip = mode == Mode.TRAIN ? StepFlops.training(macs) : StepFlops.inference(macs);
        return new Result(model, mode, batch, input.getShape(), classes, warmup, repeats, JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(), "PyTorch " + engine.getVersion(), median,
                Arrays.stream(seconds).min().orElseThrow(), batch / median, median(cpuSeconds),
                arraysAtEnd - arraysAfterFirstStep, seconds, macs, StepFlops.gflopPerSecond(flopsPerClip, batch, median),
                InferenceOptions.fuseBn(), InferenceOptions.twoHalves());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
