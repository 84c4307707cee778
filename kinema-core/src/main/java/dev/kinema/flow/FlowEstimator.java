package dev.kinema.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_optflow;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;
import org.bytedeco.opencv.opencv_video.DenseOpticalFlow;

/**
 * Dense optical flow between two grayscale frames with OpenCV (through JavaCV), as 2×H×W floats:
 * the dx plane then the dy plane, in pixels, with {@code next(x + dx, y + dy) ≈ prev(x, y)}. That
 * is OpenCV's own convention for {@code calc(prev, next)}, the one {@link FlowVideo} promises.
 *
 * <p>An estimator keeps its OpenCV algorithm object and buffers between calls, so it is not
 * thread-safe: use one per thread.
 *
 * <pre>{@code
 * try (FlowEstimator tvl1 = FlowEstimator.create(FlowMethod.TVL1)) {
 *     float[] flow = tvl1.compute(prevGray, nextGray, height, width);
 * }
 * }</pre>
 */
public final class FlowEstimator implements AutoCloseable {
    private final FlowMethod method;
    /** The OpenCV algorithm object, or null for Farneback (called through its function). */
    private final DenseOpticalFlow algorithm;
    private Mat prev;
    private Mat next;
    private final Mat flow = new Mat();
    /** dx and dy planes of {@link #flow}, split by OpenCV (vectorised) rather than in a Java loop. */
    private final MatVector planes = new MatVector(2);
    private boolean closed;

    private FlowEstimator(FlowMethod method) {
        this.method = method;
        this.algorithm = switch (method) {
            case TVL1 -> opencv_optflow.createOptFlow_DualTVL1();
            case FARNEBACK -> null;
            case DIS_ULTRAFAST -> DISOpticalFlow.create(DISOpticalFlow.PRESET_ULTRAFAST);
            case DIS_FAST -> DISOpticalFlow.create(DISOpticalFlow.PRESET_FAST);
            case DIS_MEDIUM -> DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM);
        };
    }

    public static FlowEstimator create(FlowMethod method) {
        return new FlowEstimator(Objects.requireNonNull(method, "method"));
    }

    public FlowMethod method() {
        return method;
    }

    /** The flow from {@code prev} to {@code next} (H×W gray bytes each) as a new 2×H×W array. */
    public float[] compute(byte[] prev, byte[] next, int height, int width) {
        float[] out = new float[2 * height * width];
        compute(prev, 0, next, 0, height, width, out, 0);
        return out;
    }

    /**
     * The flow from the H×W gray frame at {@code prevOffset} of {@code prev} to the one at
     * {@code nextOffset} of {@code next}, written as 2×H×W floats at {@code dstOffset} of {@code dst}.
     */
    public void compute(byte[] prev, int prevOffset, byte[] next, int nextOffset, int height, int width,
            float[] dst, int dstOffset) {
        ensureOpen();
        int plane = height * width;
        if (prevOffset + plane > prev.length || nextOffset + plane > next.length || dstOffset + 2 * plane > dst.length) {
            throw new IndexOutOfBoundsException("frames of " + height + "x" + width + " do not fit the arrays given");
        }
        this.prev = load(this.prev, prev, prevOffset, height, width);
        this.next = load(this.next, next, nextOffset, height, width);
        computeMat(this.prev, this.next, flow);
        if (flow.type() != CV_32FC2 || flow.rows() != height || flow.cols() != width || !flow.isContinuous()) {
            throw new IllegalStateException("OpenCV returned an unexpected flow matrix " + flow);
        }
        split(flow, planes);
        for (int c = 0; c < 2; c++) {
            try (Mat component = planes.get(c)) {
                FloatBuffer fb = component.createBuffer();
                fb.get(dst, dstOffset + c * plane, plane);
            }
        }
    }

    /** Runs the OpenCV algorithm on two CV_8UC1 mats into {@code flow} (CV_32FC2), nothing else. */
    void computeMat(Mat prevGray, Mat nextGray, Mat out) {
        ensureOpen();
        // DIS starts from the flow already in a matrix of the right size. Emptying it makes each pair
        // independent of the pair before, whatever order fields are computed in (and as Python's
        // calc(prev, next, None)).
        out.release();
        if (algorithm == null) {
            calcOpticalFlowFarneback(prevGray, nextGray, out, 0.5, 3, 15, 3, 5, 1.2, 0);
        } else {
            algorithm.calc(prevGray, nextGray, out);
        }
    }

    private static Mat load(Mat mat, byte[] gray, int offset, int height, int width) {
        if (mat == null || mat.rows() != height || mat.cols() != width) {
            if (mat != null) {
                mat.close();
            }
            mat = new Mat(height, width, CV_8UC1);
        }
        ByteBuffer buf = mat.createBuffer();
        buf.put(gray, offset, height * width);
        return mat;
    }

    /**
     * Grayscale of the H×W×3 RGB frame at {@code offset} of {@code rgb} into {@code dst} at
     * {@code dstOffset}, with OpenCV's {@code cvtColor(RGB2GRAY)} (0.299 R + 0.587 G + 0.114 B, as in
     * {@code cv2}).
     */
    public static void toGray(byte[] rgb, int offset, int height, int width, byte[] dst, int dstOffset) {
        int plane = height * width;
        try (Mat color = new Mat(height, width, CV_8UC3); Mat gray = new Mat()) {
            ByteBuffer in = color.createBuffer();
            in.put(rgb, offset, plane * 3);
            cvtColor(color, gray, COLOR_RGB2GRAY);
            ByteBuffer out = gray.createBuffer();
            out.get(dst, dstOffset, plane);
        }
    }

    /** Sets OpenCV's worker threads for the whole process ({@code cv::setNumThreads}); 0 = sequential. */
    public static void setOpenCvThreads(int threads) {
        opencv_core.setNumThreads(threads);
    }

    /** OpenCV's worker threads ({@code cv::getNumThreads}). */
    public static int openCvThreads() {
        return opencv_core.getNumThreads();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("flow estimator is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (algorithm != null) {
            algorithm.close();
        }
        if (prev != null) {
            prev.close();
        }
        if (next != null) {
            next.close();
        }
        flow.close();
        planes.close();
    }
}
