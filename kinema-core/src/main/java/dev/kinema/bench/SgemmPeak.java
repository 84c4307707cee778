package dev.kinema.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * The machine's single-precision matrix-multiply peak as libtorch reaches it: GFLOP/s of an n×n by
 * n×n float32 product ({@code 2n³} FLOPs) at PyTorch's intra-op thread count. It is the ceiling a
 * convolution network's training step can approach (convolutions run as GEMMs or as oneDNN's
 * kernels of the same arithmetic), so the model GFLOP/s of {@link ModelBenchmark} and of
 * {@code kinema train} are read against it. {@code tools/bench/torch_sgemm.py} measures torch 1.13's.
 */
public final class SgemmPeak {
    /**
     * One measurement: {@code bestGflopPerSecond} is the fastest repeat (the peak, least disturbed
     * by other load), {@code medianGflopPerSecond} the typical one; {@code seconds} every timed repeat.
     */
    public record Result(int size, int threads, int warmup, int repeats, String engine, double bestGflopPerSecond,
            double medianGflopPerSecond, double[] seconds) {}

    private int size = 2048;
    private int threads;
    private int warmup = 2;
    private int repeats = 10;

    private SgemmPeak() {}

    public static SgemmPeak create() {
        return new SgemmPeak();
    }

    /** The matrices' side n (default 2048: large enough to run at the kernel's full speed). */
    public SgemmPeak optSize(int size) {
        this.size = size;
        return this;
    }

    /** PyTorch intra-op threads; 0 (default) keeps the engine's. */
    public SgemmPeak optThreads(int threads) {
        this.threads = threads;
        return this;
    }

    public SgemmPeak optWarmup(int warmup) {
        this.warmup = warmup;
        return this;
    }

    public SgemmPeak optRepeats(int repeats) {
        this.repeats = repeats;
        return this;
    }

    public Result run() {
        if (size < 1 || repeats < 1 || warmup < 0 || threads < 0) {
            throw new IllegalArgumentException("size and repeats must be >= 1, warmup and threads >= 0");
        }
        Engine engine = Engine.getEngine("PyTorch"); // loads the native library before any JniUtils call
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        double[] seconds = new double[repeats];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(size, size));
            NDArray b = manager.randomUniform(-1, 1, new Shape(size, size));
            for (int i = -warmup; i < repeats; i++) {
                try (NDManager step = manager.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray product = a.matMul(b);
                    product.attach(step);
                    // Reading one element waits for the product (libtorch on CPU is synchronous anyway).
                    product.getFloat(0, 0);
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
        }
        double flops = 2.0 * size * size * (double) size;
        double best = Arrays.stream(seconds).min().orElseThrow();
        return new Result(size, JniUtils.getNumThreads(), warmup, repeats, "PyTorch " + engine.getVersion(),
                flops / best / 1e9, flops / ModelBenchmark.median(seconds) / 1e9, seconds);
    }
}
