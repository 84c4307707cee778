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
                    assertEquals(fitted.detect(k, 0, 5, 1), loaded.detect(k, 0, 5, 1));
                }
            }
        }
    }

    @Test
    void decodingDropsASecondPeakOnTheSameFigure() {
        int g = PersonDetector.GRID;
        int cells = g * g;
        float[] heatLogits = new float[cells];
        java.util.Arrays.fill(heatLogits, -5); // background, sigmoid 0.0067: below the 0.1 score
        float[] regression = new float[4 * cells];
        // Figure 1: its peak at cell (x 4, y 8) and a weaker second peak two cells below, a lower cell
        // between them so both are 3×3 maxima; both predict a 0.25 × 0.5 box centred in their cell, so
        // the boxes span y 0.28125–0.78125 and 0.40625–0.90625: IoU 0.375 / 0.625 = 0.6.
        // Figure 2: one peak at (12, 8).
        int first = 8 * g + 4;
        int second = 10 * g + 4;
        int other = 8 * g + 12;
        heatLogits[first] = 2;
        heatLogits[9 * g + 4] = -1;
        heatLogits[second] = 0;
        heatLogits[other] = 1;
        for (int c : new int[] {first, second, other}) {
            regression[c] = 0.25f;
            regression[cells + c] = 0.5f;
            regression[2 * cells + c] = 0.5f;
            regression[3 * cells + c] = 0.5f;
        }
        double p2 = 1 / (1 + Math.exp(-2));
        double p1 = 1 / (1 + Math.exp(-1));
        double p0 = 0.5;
        ActorBox figure1 = new ActorBox("v", 3, 0.15625, 0.28125, 0.40625, 0.78125, 0, 0, p2);
        ActorBox figure2 = new ActorBox("v", 3, 0.65625, 0.28125, 0.90625, 0.78125, 0, 1, p1);
        List<ActorBox> kept = PersonDetector.decode("v", 3, heatLogits, regression, 0.1, 8, 0.5);
        assertBoxes(List.of(figure1, figure2), kept);

        // Without NMS (IoU 1) the second peak is a third box, ranked last.
        ActorBox secondPeak = new ActorBox("v", 3, 0.15625, 0.40625, 0.40625, 0.90625, 0, 2, p0);
        assertBoxes(List.of(figure1, figure2, secondPeak), PersonDetector.decode("v", 3, heatLogits, regression, 0.1, 8, 1));
    }

    private static void assertBoxes(List<ActorBox> expected, List<ActorBox> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            ActorBox e = expected.get(i);
            ActorBox a = actual.get(i);
            assertEquals(e.personId(), a.personId());
            assertEquals(e.score(), a.score(), 1e-6);
            double[] want = {e.x1(), e.y1(), e.x2(), e.y2()};
            double[] got = {a.x1(), a.y1(), a.x2(), a.y2()};
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, 1e-9, "box " + i);
        }
    }
}
