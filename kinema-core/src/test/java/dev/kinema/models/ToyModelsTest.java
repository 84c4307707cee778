package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lecture's toy networks ("Early Fusion vs Late Fusion vs 3D CNN", input 3 x 20 x 64 x 64):
 * every row's size (C x T x H x W) and receptive field (T x H x W), as printed on the slide. The
 * tables add one row the slide does not have, the linear classifier {@code fc}.
 */
class ToyModelsTest {
    private static final int CLASSES = 10;

    private static List<String[]> rows(String model) {
        LayerTable table = ModelRegistry.create(model, CLASSES).layerTable();
        assertEquals("3 x 20 x 64 x 64", String.join(" x ", java.util.Arrays.stream(table.inputShape())
                .mapToObj(Long::toString).toList()));
        return table.rows().stream().map(r -> new String[] {r.name(), r.shapeText(), r.receptiveFieldText()}).toList();
    }

    private static void assertRows(List<String[]> expected, List<String[]> actual) {
        assertEquals(expected.size() + 1, actual.size(), "rows: the lecture's plus fc");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(List.of(expected.get(i)), List.of(actual.get(i)), "row " + i);
        }
        assertEquals(List.of("fc", Integer.toString(CLASSES), "20 x 64 x 64"), List.of(actual.get(expected.size())));
    }

    @Test
    void lateFusion() {
        assertRows(List.of(
                new String[] {"conv1", "12 x 20 x 64 x 64", "1 x 3 x 3"},
                new String[] {"pool1", "12 x 20 x 16 x 16", "1 x 6 x 6"},
                new String[] {"conv2", "24 x 20 x 16 x 16", "1 x 14 x 14"},
                new String[] {"pool", "24 x 1 x 1 x 1", "20 x 64 x 64"}), rows("toy-late-fusion"));
    }

    @Test
    void earlyFusion() {
        assertRows(List.of(
                new String[] {"conv1", "12 x 64 x 64", "20 x 3 x 3"},
                new String[] {"pool1", "12 x 16 x 16", "20 x 6 x 6"},
                new String[] {"conv2", "24 x 16 x 16", "20 x 14 x 14"},
                new String[] {"pool", "24 x 1 x 1", "20 x 64 x 64"}), rows("toy-early-fusion"));
    }

    @Test
    void cnn3d() {
        // The slide prints the 3D CNN's global pool as "24 x 1 x 1", dropping T; the late-fusion row
        // above it has "24 x 1 x 1 x 1". Pooling a C x T x H x W map keeps four axes.
        assertRows(List.of(
                new String[] {"conv1", "12 x 20 x 64 x 64", "3 x 3 x 3"},
                new String[] {"pool1", "12 x 5 x 16 x 16", "6 x 6 x 6"},
                new String[] {"conv2", "24 x 5 x 16 x 16", "14 x 14 x 14"},
                new String[] {"pool", "24 x 1 x 1 x 1", "20 x 64 x 64"}), rows("toy-3d"));
    }

    @Test
    void opsAreTheLecturesLayers() {
        assertEquals(List.of("Conv2D(3x3, 3->12)", "MaxPool2D(4x4)", "Conv2D(3x3, 12->24)", "GlobalAvgPool", "Linear(24->10)"),
                ops("toy-late-fusion"));
        assertEquals(List.of("Conv2D(3x3, 60->12)", "MaxPool2D(4x4)", "Conv2D(3x3, 12->24)", "GlobalAvgPool", "Linear(24->10)"),
                ops("toy-early-fusion"));
        assertEquals(List.of("Conv3D(3x3x3, 3->12)", "MaxPool3D(4x4x4)", "Conv3D(3x3x3, 12->24)", "GlobalAvgPool",
                "Linear(24->10)"), ops("toy-3d"));
    }

    private static List<String> ops(String model) {
        return ModelRegistry.create(model, CLASSES).layerTable().rows().stream().map(LayerRow::op).toList();
    }

    @Test
    void parametersAndCostsByHand() {
        // Conv (no bias) + BatchNorm (scale and shift per channel); fc with bias.
        long bn12 = 2 * 12;
        long bn24 = 2 * 24;
        long fc = 24 * CLASSES + CLASSES;
        assertParams("toy-late-fusion", 3 * 12 * 9 + bn12, 12 * 24 * 9 + bn24, fc);
        assertParams("toy-early-fusion", 60 * 12 * 9 + bn12, 12 * 24 * 9 + bn24, fc);
        assertParams("toy-3d", 3 * 12 * 27 + bn12, 12 * 24 * 27 + bn24, fc);

        LayerTable late = ModelRegistry.create("toy-late-fusion", CLASSES).layerTable();
        LayerTable early = ModelRegistry.create("toy-early-fusion", CLASSES).layerTable();
        LayerTable cnn3d = ModelRegistry.create("toy-3d", CLASSES).layerTable();
        // The same 2D conv1 costs the same whether it sees 3 channels on 20 frames or 60 channels once.
        assertEquals(12L * 20 * 64 * 64 * 3 * 9, late.row("conv1").macs());
        assertEquals(12L * 64 * 64 * 60 * 9, early.row("conv1").macs());
        assertEquals(12L * 20 * 64 * 64 * 3 * 27, cnn3d.row("conv1").macs());
        assertEquals(24L * 5 * 16 * 16 * 12 * 27, cnn3d.row("conv2").macs());
        assertEquals(24L * CLASSES, cnn3d.row("fc").macs());
        assertEquals(0, cnn3d.row("pool1").macs());
    }

    private static void assertParams(String model, long conv1, long conv2, long fc) {
        LayerTable t = ModelRegistry.create(model, CLASSES).layerTable();
        assertEquals(conv1, t.row("conv1").params(), model);
        assertEquals(conv2, t.row("conv2").params(), model);
        assertEquals(fc, t.row("fc").params(), model);
        assertEquals(conv1 + conv2 + fc, t.totalParams(), model);
    }
}
