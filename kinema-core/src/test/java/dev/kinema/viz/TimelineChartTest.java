package dev.kinema.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineChartTest {
    @TempDir
    Path dir;

    @Test
    void overlappingSpansGoToSeparateLanes() {
        TimelineChart.Bar a = new TimelineChart.Bar(0, 5, "x", 0.9);
        TimelineChart.Bar b = new TimelineChart.Bar(4, 8, "y", 0.5);
        TimelineChart.Bar c = new TimelineChart.Bar(6, 9, "x", 0.4);
        assertEquals(List.of(List.of(a, c), List.of(b)), TimelineChart.lanes(List.of(a, b, c)));
    }

    @Test
    void barsAreDrawnWhereTheirTimesAreInTheirLabelsColour() throws Exception {
        List<TimelineChart.Row> rows = List.of(new TimelineChart.Row("truth", List.of(new TimelineChart.Bar(5, 10, "x", 1))),
                new TimelineChart.Row("predicted", List.of(new TimelineChart.Bar(0, 2, "y", 0.9), new TimelineChart.Bar(1, 3, "x", 0.9))));
        BufferedImage img = TimelineChart.render("t", 10, rows, List.of("x", "y"), 610);
        // Plot from x = 110 to 590 covers 0..10 s; the truth row's lane spans y 32..46.
        int inside = img.getRGB(110 + 480 * 3 / 4, 40) & 0xffffff;
        int before = img.getRGB(110 + 480 / 4, 40) & 0xffffff;
        assertEquals(LineChart.PALETTE.get(0).getRGB() & 0xffffff, inside, "x's colour at 7.5 s");
        assertNotEquals(inside, before, "nothing of the truth row at 2.5 s");
        Path png = TimelineChart.write(dir.resolve("t.png"), "t", 10, rows, List.of("x", "y"));
        assertTrue(Files.size(png) > 0);
    }
}
