package dev.kinema.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Flow pairs per second on the first {@code pairs + 1} frames of a video, for comparison with
 * {@code tools/bench/opencv_flow.py} (OpenCV in Python) on the same frames and settings.
 *
 * <p>Frames are decoded and converted to gray once, before timing; the timed region is only
 * {@link FlowEstimator#compute} for each consecutive pair, i.e. OpenCV's {@code calc} plus copying
 * the result out into planar floats. OpenCV's thread count is set for the run
 * ({@code cv::setNumThreads}), as the Python script does.
 */
public final class FlowBenchmark {
    /**
     * One run. {@code cpuSeconds} is the process CPU time over the timed region (all threads), which
     * a busy machine disturbs less than wall time; {@code threadCpuMsPerPair} is the calling thread's
     * alone (all of OpenCV's work when it runs on one thread, without the JVM's own threads), and
     * {@code calcThreadCpuMsPerPair} the same for OpenCV's {@code calc} alone on frames already in
     * OpenCV matrices (a second pass), which is what the Python script times: the difference is
     * Kinema's cost of moving frames in and flow out.
     */
    public record Result(Path file, String method, int size, int width, int height, int pairs, int threads,
            int warmup, double seconds, double pairsPerSecond, double cpuSeconds, double cpuMsPerPair,
            double threadCpuMsPerPair, double calcThreadCpuMsPerPair) {}

    private final Path file;
    private FlowMethod method = FlowMethod.TVL1;
    private int size = 128;
    private int pairs = 20;
    private int warmup = 2;
    private int threads = 1;

    private FlowBenchmark(Path file) {
        this.file = Objects.requireNonNull(file);
    }

    public static FlowBenchmark of(Path file) {
        return new FlowBenchmark(file);
    }

    public FlowBenchmark optMethod(FlowMethod method) {
        this.method = Objects.requireNonNull(method);
        return this;
    }

    /** Short side of the frames, px (default 128). */
    public FlowBenchmark optSize(int size) {
        this.size = size;
        return this;
    }

    /** Timed pairs (default 20): frames 0..pairs. */
    public FlowBenchmark optPairs(int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be at least 1, got " + pairs);
        }
        this.pairs = pairs;
        return this;
    }

    /** Untimed pairs run first (default 2), from the start of the same frames. */
    public FlowBenchmark optWarmup(int warmup) {
        this.warmup = Math.max(0, warmup);
        return this;
    }

    /** OpenCV threads (default 1); see {@link FlowEstimator#setOpenCvThreads}. */
    public FlowBenchmark optThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    public Result run() {
        FlowSettings settings = FlowSettings.of(method, size);
        VideoFrames frames;
        try (VideoReader reader = VideoReader.open(file, ReaderOptions.builder().optSize(settings.frameSize()).build())) {
            if (reader.frameCount() < pairs + 1) {
                throw new IllegalArgumentException(file + " has " + reader.frameCount() + " frames; "
                        + pairs + " pairs need " + (pairs + 1));
            }
            int[] idx = new int[pairs + 1];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            frames = reader.read(idx);
        }
        int h = frames.height();
        int w = frames.width();
        int plane = h * w;
        byte[] gray = new byte[(pairs + 1) * plane];
        for (int t = 0; t <= pairs; t++) {
            FlowEstimator.toGray(frames.rgb(), t * plane * 3, h, w, gray, t * plane);
        }
        float[] out = new float[2 * plane];
        int previousThreads = FlowEstimator.openCvThreads();
        FlowEstimator.setOpenCvThreads(threads);
        try (FlowEstimator estimator = FlowEstimator.create(method)) {
            for (int k = 0; k < warmup; k++) {
                int p = k % pairs;
                estimator.compute(gray, p * plane, gray, (p + 1) * plane, h, w, out, 0);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean thread = ManagementFactory.getThreadMXBean();
            long threadCpu0 = thread.getCurrentThreadCpuTime();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int k = 0; k < pairs; k++) {
                estimator.compute(gray, k * plane, gray, (k + 1) * plane, h, w, out, 0);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double threadCpu = (thread.getCurrentThreadCpuTime() - threadCpu0) / 1e9;
            double calcOnly = calcOnlySeconds(estimator, gray, h, w, thread);
            return new Result(file, method.id(), size, w, h, pairs, threads, warmup, seconds, pairs / seconds,
                    cpu, cpu * 1000 / pairs, threadCpu * 1000 / pairs, calcOnly * 1000 / pairs);
        } finally {
            FlowEstimator.setOpenCvThreads(previousThreads);
        }
    }

    /** Thread CPU seconds of {@code calc} alone over all pairs, frames already in OpenCV matrices. */
    private double calcOnlySeconds(FlowEstimator estimator, byte[] gray, int h, int w,
            ThreadMXBean thread) {
        int plane = h * w;
        Mat[] mats = new Mat[pairs + 1];
        try (Mat out = new Mat()) {
            for (int t = 0; t <= pairs; t++) {
                mats[t] = new Mat(h, w, CV_8UC1);
                ((ByteBuffer) mats[t].createBuffer()).put(gray, t * plane, plane);
            }
            long c0 = thread.getCurrentThreadCpuTime();
            for (int k = 0; k < pairs; k++) {
                estimator.computeMat(mats[k], mats[k + 1], out);
            }
            return (thread.getCurrentThreadCpuTime() - c0) / 1e9;
        } finally {
            for (Mat m : mats) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}
