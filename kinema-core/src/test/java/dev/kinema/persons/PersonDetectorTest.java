package dev.kinema.persons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.annotations.ActorBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonDetectorTest {
    @TempDir
    Path dir;

    private static ActorBox box(String video, int t, double x1, double y1, double x2, double y2, int action, double score) {
        return new ActorBox(video, t, x1, y1, x2, y2, action, 0, score);
    }

    @Test
    void targetsAreCenterNetsGaussianSizeAndOffsetAtTheCentreCell() {
        // Centre (0.53125, 0.5) → grid (8.5, 8.0): cell (8, 8), offset (0.5, 0); size 0.25 × 0.5.
        float[][] t = PersonDetector.targets(List.of(box("v", 1, 0.40625, 0.25, 0.65625, 0.75, 1, 1)));
        int g = PersonDetector.GRID;
        int c = 8 * g + 8;
        int cells = g * g;
        assertEquals(1f, t[0][c], 1e-6f);
        assertEquals(1f, t[2][c]);
        assertEquals(1f, (float) java.util.stream.IntStream.range(0, cells).filter(i -> t[2][i] > 0).count());
        assertEquals(0.25f, t[1][c], 1e-6f);
        assertEquals(0.5f, t[1][cells + c], 1e-6f);
        assertEquals(0.5f, t[1][2 * cells + c], 1e-6f);
        assertEquals(0f, t[1][3 * cells + c], 1e-6f);
        // σx = 0.25·16/3 cells: the next cell to the right is exp(-1 / (2σx²)).
        double sx = 0.25 * g / 3;
        assertEquals(Math.exp(-1 / (2 * sx * sx)), t[0][c + 1], 1e-6);
        // σy = 0.5·16/3: one cell down.
        double sy = 0.5 * g / 3;
        assertEquals(Math.exp(-1 / (2 * sy * sy)), t[0][c + g], 1e-6);
    }

    @Test
    void personApCountsEachPlaceOnceWhateverItsActions() {
        List<ActorBox> truth = List.of(box("v", 1, 0.1, 0.1, 0.3, 0.9, 1, 1), box("v", 1, 0.1, 0.1, 0.3, 0.9, 2, 1),
                box("v", 1, 0.6, 0.1, 0.8, 0.9, 3, 1));
        // One hit, then a miss ranked above the second hit: AP = (1 + 2/3) / 2.
        List<ActorBox> found = new ArrayList<>(List.of(box("v", 1, 0.1, 0.1, 0.3, 0.9, 0, 0.9),
                box("v", 1, 0.35, 0.1, 0.55, 0.9, 0, 0.8), box("v", 1, 0.6, 0.1, 0.8, 0.9, 0, 0.7)));
        assertEquals((1 + 2.0 / 3) / 2, PersonDetector.averagePrecision(truth, found), 1e-9);
    }

    @Test
    void aSavedDetectorFindsTheSameBoxes() throws Exception {
        List<PersonDetector.Keyframe> data = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int n = PersonDetector.INPUT;
        for (int k = 0; k < 4; k++) {
            float[] image = new float[3 * n * n];
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) rng.nextDouble(-0.5, 0.5);
            }
            data.add(new PersonDetector.Keyframe("v", k, image, List.of(box("v", k, 0.2, 0.2, 0.4, 0.8, 0, 1))));
        }
        Path file = dir.resolve("persons.bin");
        try (PersonDetector fitted = PersonDetector.fit(data, 2, 1e-3, 0)) {
            fitted.save(file);
            try (PersonDetector loaded = PersonDetector.load(file)) {
                for (PersonDetector.Keyframe k : data) {
                    assertEquals(fitted.detect(k, 0, 5), loaded.detect(k, 0, 5));
                }
            }
        }
    }
}
