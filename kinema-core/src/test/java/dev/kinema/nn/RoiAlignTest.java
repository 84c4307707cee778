package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
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
}
