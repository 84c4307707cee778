package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * C3D against the lecture's table (CS231n 2025, lecture 10, "C3D: The VGG of 3D CNNs", on
 * 3×16×112×112): sizes row by row, and the conv rows' cost in G multiply-adds.
 */
class C3dTest {
    /** Sports-1M, the dataset C3D was trained on. */
    private static final int SPORTS_1M = 487;

    private static LayerTable lectureTable() {
        return ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(SPORTS_1M).optFrames(16).optSize(112).build())
                .layerTable();
    }

    @Test
    void sizesMatchTheLectureRowByRow() {
        Map<String, String> lecture = new LinkedHashMap<>();
        lecture.put("conv1", "64 x 16 x 112 x 112");
        lecture.put("pool1", "64 x 16 x 56 x 56");
        lecture.put("conv2", "128 x 16 x 56 x 56");
        lecture.put("pool2", "128 x 8 x 28 x 28");
        lecture.put("conv3a", "256 x 8 x 28 x 28");
        lecture.put("conv3b", "256 x 8 x 28 x 28");
        lecture.put("pool3", "256 x 4 x 14 x 14");
        lecture.put("conv4a", "512 x 4 x 14 x 14");
        lecture.put("conv4b", "512 x 4 x 14 x 14");
        lecture.put("pool4", "512 x 2 x 7 x 7");
        lecture.put("conv5a", "512 x 2 x 7 x 7");
        lecture.put("conv5b", "512 x 2 x 7 x 7");
        lecture.put("pool5", "512 x 1 x 3 x 3");
        lecture.put("fc6", "4096");
        lecture.put("fc7", "4096");
        lecture.put("fc8", Integer.toString(SPORTS_1M));
        LayerTable table = lectureTable();
        assertEquals(List.copyOf(lecture.keySet()), table.rows().stream().map(LayerRow::name).toList());
        lecture.forEach((layer, size) -> assertEquals(size, table.row(layer).shapeText(), layer));
        assertEquals(List.of("Conv3D(3x3x3, 3->64)", "MaxPool3D(1x2x2)", "Conv3D(3x3x3, 64->128)", "MaxPool3D(2x2x2)",
                "Conv3D(3x3x3, 128->256)", "Conv3D(3x3x3, 256->256)", "MaxPool3D(2x2x2)",
                "Conv3D(3x3x3, 256->512)", "Conv3D(3x3x3, 512->512)", "MaxPool3D(2x2x2)",
                "Conv3D(3x3x3, 512->512)", "Conv3D(3x3x3, 512->512)", "MaxPool3D(2x2x2)",
                "Linear(4608->4096)", "Linear(4096->4096)", "Linear(4096->487)"),
                table.rows().stream().map(LayerRow::op).toList());
    }

    @Test
    void convCostsMatchTheLecture() {
        Map<String, String> lectureGmacs = new LinkedHashMap<>();
        lectureGmacs.put("conv1", "1.04");
        lectureGmacs.put("conv2", "11.10");
        lectureGmacs.put("conv3a", "5.55");
        lectureGmacs.put("conv3b", "11.10");
        lectureGmacs.put("conv4a", "2.77");
        lectureGmacs.put("conv4b", "5.55");
        lectureGmacs.put("conv5a", "0.69");
        lectureGmacs.put("conv5b", "0.69");
        LayerTable table = lectureTable();
        lectureGmacs.forEach((layer, g) -> assertEquals(g, giga(table.row(layer).macs()), layer));
        // conv1 by hand: every output (64 x 16 x 112 x 112) takes 3 channels x 3x3x3 taps.
        assertEquals(64L * 16 * 112 * 112 * 3 * 27, table.row("conv1").macs());
    }

    /**
     * The lecture's FC rows (fc6 0.51, fc7 0.45, fc8 0.05 "GFLOPs") are 27 times the layers' real
     * cost: the slide multiplied them by a 3x3x3 kernel too. fc6 really is 4608 x 4096 = 0.019 G.
     * So the lecture's 39.5 G total is its conv rows plus those inflated FC rows; C3D really costs
     * 38.53 G multiply-adds per 16-frame clip, and this test pins down both facts.
     */
    @Test
    void theLecturesTotalCountsEachFcLayer27Times() {
        LayerTable table = lectureTable();
        long fc6 = table.row("fc6").macs();
        long fc7 = table.row("fc7").macs();
        long fc8 = table.row("fc8").macs();
        assertEquals(4608L * 4096, fc6);
        assertEquals(4096L * 4096, fc7);
        assertEquals(4096L * SPORTS_1M, fc8);
        assertEquals("0.51", giga(27 * fc6));
        assertEquals("0.45", giga(27 * fc7));
        assertEquals("0.05", giga(27 * fc8));

        long conv = table.rows().stream().filter(r -> r.name().startsWith("conv")).mapToLong(LayerRow::macs).sum();
        assertEquals("39.5", String.format("%.1f", (conv + 27 * (fc6 + fc7 + fc8)) / 1e9));
        assertEquals("38.53", giga(table.totalMacs()));
        assertEquals(conv + fc6 + fc7 + fc8, table.totalMacs());
    }

    @Test
    void parametersAsPublishedWithoutNormalisation() {
        // C3D as published has no BatchNorm: every conv and FC has a bias.
        VideoModel plain = ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(SPORTS_1M)
                .optLayers(LayerFactory.builder().optNoNorm().build()).build());
        long[][] convs = {{3, 64}, {64, 128}, {128, 256}, {256, 256}, {256, 512}, {512, 512}, {512, 512}, {512, 512}};
        long expected = 0;
        for (long[] c : convs) {
            expected += c[0] * c[1] * 27 + c[1];
        }
        expected += 4608L * 4096 + 4096 + 4096L * 4096 + 4096 + 4096L * SPORTS_1M + SPORTS_1M;
        assertEquals(expected, plain.parameterCount());

        // With the default BatchNorm, convs lose their bias and gain a scale and a shift per channel.
        long withNorm = expected;
        for (long[] c : convs) {
            withNorm += c[1];
        }
        assertEquals(withNorm, lectureTable().totalParams());
    }

    private static String giga(long macs) {
        return String.format("%.2f", macs / 1e9);
    }
}
