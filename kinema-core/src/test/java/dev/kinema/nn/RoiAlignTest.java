package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.training.GradientCollector;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoiAlignTest {
    /** tools/golden/roi_align.py: torchvision 0.14's roi_align(aligned=True) on the same formula input. */
    @Test
    void agreesWithTorchvisionWithin1e5() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/nn/roi_align.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int n = 2, c = 3, h = 7, w = 9;
        float[] input = new float[n * c * h * w];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (Math.sin(0.37 * i) + 0.01 * i);
        }
        JsonNode rois = golden.get("rois");
        float[][] boxes = new float[rois.size()][5];
        for (int r = 0; r < rois.size(); r++) {
            for (int k = 0; k < 5; k++) {
                boxes[r][k] = (float) rois.get(r).get(k).asDouble();
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.create(input, new Shape(n, c, h, w));
            for (JsonNode cs : golden.get("cases")) {
                int outH = cs.get("output").get(0).asInt();
                int outW = cs.get("output").get(1).asInt();
                NDArray y = RoiAlign.apply(features, boxes, outH, outW, cs.get("spatial_scale").asDouble(), cs.get("sampling_ratio").asInt());
                assertEquals(new Shape(rois.size(), c, outH, outW), y.getShape(), cs.get("name").asText());
                float[] got = y.toFloatArray();
                float[] want = new float[got.length];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) cs.get("values").get(i).asDouble();
                }
                assertArrayEquals(want, got, 1e-5f, cs.get("name").asText());
            }
        }
    }

    @Test
    void aBoxOverOnePixelCentreIsThatPixel() {
        // aligned=True: pixel (2, 3) covers [3, 4) x [2, 3) in continuous coordinates; a 1x1 output
        // with one sample at its centre reads exactly that pixel.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.arange(20f).reshape(1, 1, 4, 5);
            NDArray y = RoiAlign.apply(features, new float[][] {{0, 3, 2, 4, 3}}, 1, 1, 1.0, 1);
            assertEquals(13f, y.getFloat(0, 0, 0, 0), 0f);
        }
    }

    /**
     * The features' gradient is each box's {@code Ayᵀ · 1 · Ax} summed, also after the garbage
     * collector ran and other direct buffers of the interpolation matrices' sizes were filled with NaN
     * between the forward and the backward pass: the matrices must live as long as the graph that
     * saved them (they once lived in a scope closed inside {@code apply}, so the backward pass read
     * freed memory).
     */
    @Test
    void theGradientSurvivesACollectionBetweenForwardAndBackward() throws Exception {
        int h = 24, w = 32, outH = 7, outW = 7;
        float[][] boxes = new float[12][];
        for (int r = 0; r < boxes.length; r++) {
            boxes[r] = new float[] {0, 1 + r, 2 + 0.5f * r, 10 + r, 12 + 0.7f * r};
        }
        double[] want = new double[h * w];
        for (float[] box : boxes) {
            float[] ay = RoiAlign.weights(box[2] - 0.5, box[4] - box[2], outH, h, 2);
            float[] ax = RoiAlign.weights(box[1] - 0.5, box[3] - box[1], outW, w, 2);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sy = 0;
                    double sx = 0;
                    for (int b = 0; b < outH; b++) {
                        sy += ay[b * h + y];
                    }
                    for (int b = 0; b < outW; b++) {
                        sx += ax[b * w + x];
                    }
                    want[y * w + x] += sy * sx;
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.ones(new Shape(1, 1, h, w));
            features.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray pooled = RoiAlign.apply(features, boxes, outH, outW, 1.0, 2);
                List<ByteBuffer> poison = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    System.gc();
                    Thread.sleep(20);
                    for (int k = 0; k < 2 * boxes.length; k++) {
                        for (int size : new int[] {outH * h * 4, outW * w * 4}) {
                            ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                            while (b.remaining() >= 4) {
                                b.putFloat(Float.NaN);
                            }
                            poison.add(b);
                        }
                    }
                }
                collector.backward(pooled.sum());
                poison.clear();
            }
            float[] got = features.getGradient().toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 1e-4, "gradient at " + i + " of " + Arrays.toString(new int[] {h, w}));
            }
        }
    }
}
