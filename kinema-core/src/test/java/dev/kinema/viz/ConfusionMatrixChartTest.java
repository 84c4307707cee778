package dev.kinema.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixChartTest {
    @TempDir
    Path dir;

    /** The colour just inside a cell's top-left corner, away from the count written in its middle. */
    private static int corner(BufferedImage img, ConfusionMatrixChart.Layout l, int t, int p) {
        return img.getRGB(l.cellX(p) + 2, l.cellY(t) + 2) & 0xFFFFFF;
    }

    private static int rgb(Color c) {
        return c.getRGB() & 0xFFFFFF;
    }

    @Test
    void cellsAreShadedByTheirShareOfTheRow() throws IOException {
        // Row "left": 3 right, 1 wrong; row "right": all 4 right; row "still": no samples.
        int[][] counts = {{3, 1, 0}, {0, 4, 0}, {0, 0, 0}};
        ConfusionMatrixChart chart = new ConfusionMatrixChart(counts, List.of("left", "right", "still"), "val");
        ConfusionMatrixChart.Layout l = chart.layout();
        BufferedImage img = ImageIO.read(chart.writePng(dir.resolve("c.png")).toFile());
        assertEquals(l.width(), img.getWidth());
        assertEquals(l.height(), img.getHeight());
        assertTrue(l.names());
        assertEquals(rgb(ConfusionMatrixChart.shade(0.75)), corner(img, l, 0, 0));
        assertEquals(rgb(ConfusionMatrixChart.shade(0.25)), corner(img, l, 0, 1));
        assertEquals(rgb(ConfusionMatrixChart.shade(1)), corner(img, l, 1, 1));
        assertEquals(0xFFFFFF, corner(img, l, 1, 0));
        assertEquals(0xFFFFFF, corner(img, l, 2, 2));
        // Class names are drawn left of the rows: some dark pixels in row 0's label band.
        boolean ink = false;
        for (int x = 0; x < l.left() - 2 && !ink; x++) {
            for (int y = l.cellY(0); y < l.cellY(1); y++) {
                ink |= (img.getRGB(x, y) & 0xFF) < 100;
            }
        }
        assertTrue(ink, "row label drawn");
    }

    @Test
    void shadesDarkenWithTheFraction() {
        Color previous = ConfusionMatrixChart.shade(0);
        assertEquals(Color.WHITE, previous);
        for (double f = 0.1; f <= 1.0001; f += 0.1) {
            Color c = ConfusionMatrixChart.shade(f);
            assertTrue(c.getRed() + c.getGreen() + c.getBlue() < previous.getRed() + previous.getGreen()
                    + previous.getBlue(), "shade " + f);
            previous = c;
        }
    }

    @Test
    void manyClassesGetSmallCellsWithoutNames() {
        int n = 200;
        int[][] counts = new int[n][n];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            counts[i][i] = 1;
            labels.add("class" + i);
        }
        ConfusionMatrixChart.Layout l = new ConfusionMatrixChart(counts, labels, "many").layout();
        assertEquals(3, l.cell());
        assertFalse(l.names());
        assertTrue(l.width() < 700, "width " + l.width());
    }

    @Test
    void mismatchedInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixChart(new int[][] {{1, 0}, {0, 1}}, List.of("a"), "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixChart(new int[][] {{1, 0}}, List.of("a"), "x"));
    }
}
