package dev.kinema.localization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.annotations.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProposalEvaluationTest {
    @TempDir
    Path dir;

    /** Ten snippets of 1 s over a 10 s video: centres 0.5, 1.5, ..., 9.5. */
    private static ClipScores tenSeconds() {
        double[] starts = new double[10];
        double[] ends = new double[10];
        float[][] p = new float[10][];
        for (int j = 0; j < 10; j++) {
            starts[j] = j;
            ends[j] = j + 1;
            p[j] = new float[] {0.5f, 0.5f};
        }
        return new ClipScores(Path.of("v.mp4"), starts, ends, p, List.of("act", "background"), 10);
    }

    @Test
    void curvesAreLinearBetweenCentresFlatToTheEdgesAndZeroOutside() {
        ClipScores s = tenSeconds();
        float[] curve = {0.1f, 0.3f, 0.5f, 0.7f, 0.9f, 0.2f, 0.2f, 0.2f, 0.2f, 0.4f};
        assertEquals(0.2, ProposalEvaluation.interpolate(s, curve, 1.0), 1e-6); // halfway 0.1 .. 0.3
        assertEquals(0.65, ProposalEvaluation.interpolate(s, curve, 3.25), 1e-6); // three quarters from 0.5 to 0.7
        assertEquals(0.1, ProposalEvaluation.interpolate(s, curve, 0.2), 1e-6);
        assertEquals(0.4, ProposalEvaluation.interpolate(s, curve, 9.9), 1e-6);
        assertEquals(0, ProposalEvaluation.interpolate(s, curve, -0.1));
        assertEquals(0, ProposalEvaluation.interpolate(s, curve, 10.1));
    }

    @Test
    void bspFeaturesSampleActionnessInThreeRegionsAndEachBoundaryCurveAtItsBoundary() {
        ClipScores s = tenSeconds();
        // Curves linear in time over the centres: start t/10, end 1 - t/10, actionness t/20.
        float[][] b = new float[3][10];
        for (int j = 0; j < 10; j++) {
            double t = s.centre(j);
            b[0][j] = (float) (t / 10);
            b[1][j] = (float) (1 - t / 10);
            b[2][j] = (float) (t / 20);
        }
        // Proposal 2..7 s: length 5, boundary regions 1 s wide, [1.5, 2.5] and [6.5, 7.5].
        float[] f = ProposalEvaluation.features(s, b, 2, 7);
        assertEquals(ProposalEvaluation.FEATURES, f.length);
        for (int k = 0; k < 8; k++) {
            double inStart = 1.5 + (k + 0.5) / 8;
            double inEnd = 6.5 + (k + 0.5) / 8;
            assertEquals(inStart / 20, f[k], 1e-6, "actionness, start region " + k);
            assertEquals(inEnd / 20, f[24 + k], 1e-6, "actionness, end region " + k);
            assertEquals(inStart / 10, f[32 + k], 1e-6, "start curve " + k);
            assertEquals(1 - inEnd / 10, f[40 + k], 1e-6, "end curve " + k);
        }
        for (int k = 0; k < 16; k++) {
            assertEquals((2 + (k + 0.5) * 5 / 16) / 20, f[8 + k], 1e-6, "actionness inside " + k);
        }
        // A proposal from 0.2 s: its start region [-0.3, 0.7] starts outside the video (zeros), then
        // holds the first centre's value up to 0.5 s.
        float[] early = ProposalEvaluation.features(s, b, 0.2, 5.2);
        assertArrayEquals(new float[] {0, 0, 0.025f, 0.025f, 0.025f, 0.025f}, java.util.Arrays.copyOfRange(early, 0, 6), 1e-6f);
    }

    @Test
    void samplingKeepsEveryHighIouProposalAndAtMostOneAndTwoTimesAsManyOfTheOthers() {
        double[] iou = {0.9, 0.1, 0.3, 0.05, 0.7, 0.4, 0.5, 0.0, 0.15, 0.2, 0.6, 0.1, 0.01};
        // High (> 0.6): 0 and 4. Middle (0.2, 0.6]: 2, 5, 6, 10. Low (<= 0.2): 1, 3, 7, 8, 9, 11, 12.
        List<Integer> picked = ProposalEvaluation.balancedSample(iou, new Random(0));
        assertEquals(8, picked.size());
        assertTrue(picked.containsAll(List.of(0, 4)));
        assertEquals(2, picked.stream().filter(i -> iou[i] > 0.2 && iou[i] <= 0.6).count());
        assertEquals(4, picked.stream().filter(i -> iou[i] <= 0.2).count());
        assertEquals(8, picked.stream().distinct().count());
    }

    @Test
    void aFittedPemScoresWellPlacedProposalsAboveBadOnesAndSurvivesSaveAndLoad() throws IOException {
        Random rng = new Random(1);
        List<ClipScores> train = new ArrayList<>();
        List<List<Segment>> truth = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Segment> g = BoundaryProposalsTest.instances("t" + i, rng);
            truth.add(g);
            train.add(BoundaryProposalsTest.video("t" + i, g, i));
        }
        double good = 0;
        double bad = 0;
        int goods = 0;
        int bads = 0;
        try (BoundaryProposals tem = BoundaryProposals.fit(train, truth, 25, 0.01, 0);
                ProposalEvaluation pem = ProposalEvaluation.fit(tem, train, truth, 12, 40, 0.05, 0)) {
            Path file = dir.resolve("pem.bin");
            pem.save(file);
            try (ProposalEvaluation loaded = ProposalEvaluation.load(file)) {
                for (int i = 0; i < 4; i++) {
                    List<Segment> g = BoundaryProposalsTest.instances("h" + i, rng);
                    ClipScores s = BoundaryProposalsTest.video("h" + i, g, 100 + i);
                    float[][] b = tem.boundaries(s);
                    List<BoundaryProposals.Candidate> candidates = BoundaryProposals.candidates(s, b, 12);
                    double[] scores = pem.score(s, b, candidates);
                    assertArrayEquals(scores, loaded.score(s, b, candidates), 0);
                    for (int c = 0; c < candidates.size(); c++) {
                        double iou = ProposalEvaluation.bestIou(candidates.get(c).start(), candidates.get(c).end(), g);
                        if (iou > 0.7) {
                            good += scores[c];
                            goods++;
                        } else if (iou < 0.2) {
                            bad += scores[c];
                            bads++;
                        }
                    }
                }
            }
        }
        assertTrue(goods > 0 && bads > 0, goods + " good, " + bads + " bad proposals");
        assertTrue(good / goods > bad / bads + 0.2, "mean PEM score of tIoU > 0.7: " + good / goods + ", of tIoU < 0.2: " + bad / bads);
    }

    @Test
    void aFileThatIsNotAPemIsRefusedByName() throws IOException {
        Path file = dir.resolve("tem.bin");
        Files.write(file, new byte[] {0, 0, 0, 48, 1, 2});
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ProposalEvaluation.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not a saved PEM"), e.getMessage());
    }
}
