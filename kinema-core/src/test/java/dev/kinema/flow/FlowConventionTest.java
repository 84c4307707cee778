package dev.kinema.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.testing.SharedData;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sign convention, {@code I[t+1](x + dx, y + dy) ≈ I[t](x, y)}, on a real textured frame moved by
 * a known sub-pixel displacement. The second frame is made here by bilinear interpolation, not by
 * OpenCV, so the test does not inherit OpenCV's own conventions.
 */
class FlowConventionTest {
    static final double DX = 1.5;
    static final double DY = -0.75;
    static final int MARGIN = 16;

    static int height;
    static int width;
    static byte[] first;
    static byte[] moved;

    @BeforeAll
    static void frames() {
        try (VideoReader reader = VideoReader.open(SharedData.file("vtest.avi"),
                ReaderOptions.builder().optSize(FrameSize.shortSide(240)).build())) {
            VideoFrames f = reader.read(40);
            height = f.height();
            width = f.width();
            first = new byte[height * width];
            FlowEstimator.toGray(f.rgb(), 0, height, width, first, 0);
        }
        moved = translate(first, height, width, DX, DY);
    }

    /** {@code out(x, y) = in(x − dx, y − dy)}, bilinear, edges clamped: so out(x + dx, y + dy) = in(x, y). */
    static byte[] translate(byte[] in, int h, int w, double dx, double dy) {
        byte[] out = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = x - dx;
                double sy = y - dy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                double v = (1 - fy) * ((1 - fx) * at(in, h, w, x0, y0) + fx * at(in, h, w, x0 + 1, y0))
                        + fy * ((1 - fx) * at(in, h, w, x0, y0 + 1) + fx * at(in, h, w, x0 + 1, y0 + 1));
                out[y * w + x] = (byte) Math.round(v);
            }
        }
        return out;
    }

    static int at(byte[] img, int h, int w, int x, int y) {
        return img[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))] & 0xff;
    }

    /** Median of one plane of a 2×H×W flow over the frame without its borders. */
    static double median(float[] flow, int component) {
        int plane = height * width;
        float[] v = new float[(height - 2 * MARGIN) * (width - 2 * MARGIN)];
        int k = 0;
        for (int y = MARGIN; y < height - MARGIN; y++) {
            for (int x = MARGIN; x < width - MARGIN; x++) {
                v[k++] = flow[component * plane + y * width + x];
            }
        }
        Arrays.sort(v);
        return (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    @ParameterizedTest(name = "{0}: median within {1} px")
    @CsvSource({"tvl1, 0.25", "farneback, 0.25", "dis-medium, 0.25", "dis-fast, 0.25", "dis-ultrafast, 0.25"})
    void medianFlowIsTheKnownShift(String method, double tolerance) {
        try (FlowEstimator estimator = FlowEstimator.create(FlowMethod.parse(method))) {
            float[] flow = estimator.compute(first, moved, height, width);
            assertEquals(DX, median(flow, 0), tolerance, method + " dx");
            assertEquals(DY, median(flow, 1), tolerance, method + " dy");
        }
    }

    @Test
    void reversingTheFramesReversesTheFlow() {
        try (FlowEstimator estimator = FlowEstimator.create(FlowMethod.FARNEBACK)) {
            float[] back = estimator.compute(moved, first, height, width);
            assertEquals(-DX, median(back, 0), 0.25);
            assertEquals(-DY, median(back, 1), 0.25);
        }
    }
}
