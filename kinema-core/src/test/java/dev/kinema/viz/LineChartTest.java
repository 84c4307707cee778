package dev.kinema.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    private static final Color RED = new Color(0xD55E00);
    private static final Color BLUE = new Color(0x0072B2);

    @TempDir
    Path dir;

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void pointsLandWhereTheFrameSaysAndGapsStayEmpty() throws IOException {
        double[] x = {1, 2, 3, 4};
        LineChart chart = LineChart.builder().setTitle("accuracy").optAxisLabels("epoch", "top-1").optYRange(0, 1)
                .addSeries("train", x, new double[] {0.1, 0.4, 0.6, 0.9}, BLUE)
                .addSeries("val", x, new double[] {0.2, Double.NaN, 0.8, 0.3}, RED).build();
        LineChart.Frame f = chart.frame();
        // 3% of the x span as a margin on each side keeps the end markers inside the frame.
        assertEquals(0.91, f.xMin(), 1e-12);
        assertEquals(4.09, f.xMax(), 1e-12);
        assertEquals(0, f.yMin());
        assertEquals(1, f.yMax());
        // A higher value is drawn higher up.
        assertEquals(f.bottom(), f.py(0));
        assertEquals(f.top(), f.py(1));

        BufferedImage img = ImageIO.read(chart.writePng(dir.resolve("acc.png")).toFile());
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertEquals(BLUE.getRGB() & 0xFFFFFF, rgb(img, f.px(2), f.py(0.4)));
        assertEquals(BLUE.getRGB() & 0xFFFFFF, rgb(img, f.px(4), f.py(0.9)));
        assertEquals(RED.getRGB() & 0xFFFFFF, rgb(img, f.px(3), f.py(0.8)));
        // Halfway between val's points 1 and 3 would be its line if the NaN at x = 2 were skipped over.
        assertNotEquals(RED.getRGB() & 0xFFFFFF, rgb(img, f.px(2), f.py(0.5)));
        // Halfway between val's points 3 and 4 is on the line joining them.
        int midY = (f.py(0.8) + f.py(0.3)) / 2;
        assertEquals(RED.getRGB() & 0xFFFFFF, rgb(img, (f.px(3) + f.px(4)) / 2, midY));
    }

    @Test
    void fittedRangeHasAMarginAndOnePointStillPlots() {
        LineChart chart = LineChart.builder().setTitle("loss")
                .addSeries("", new double[] {1}, new double[] {0.7}, BLUE).build();
        LineChart.Frame f = chart.frame();
        assertEquals(0.5, f.xMin());
        assertEquals(1.5, f.xMax());
        assertEquals(0.2, f.yMin(), 1e-12);
        assertEquals(1.2, f.yMax(), 1e-12);
        BufferedImage img = chart.render();
        assertEquals(BLUE.getRGB() & 0xFFFFFF, rgb(img, f.px(1), f.py(0.7)));
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), LineChart.Ticks.of(0, 1, 6));
        assertEquals(List.of(2.0, 4.0, 6.0, 8.0, 10.0), LineChart.Ticks.of(1, 10, 8));
        assertEquals("0.6", LineChart.Ticks.format(0.6000000000000001));
        assertEquals("10", LineChart.Ticks.format(10.0));
        assertEquals("0.025", LineChart.Ticks.format(0.025));
    }

    @Test
    void badSeriesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder().setTitle("t").addSeries("s", new double[2], new double[3], BLUE));
        assertThrows(IllegalStateException.class, () -> LineChart.builder().build());
        assertThrows(IllegalArgumentException.class, () -> LineChart.builder().setTitle("t").optYRange(1, 1));
    }
}
