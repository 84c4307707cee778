package dev.kinema.localization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.annotations.Segment;
import dev.kinema.eval.detection.ProposalRecall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundaryProposalsTest {
    @TempDir
    Path dir;

    /** Clips every 0.5 s of a 30 s video; "act" probable inside the instances (with noise), background outside. */
    static ClipScores video(String id, List<Segment> truth, long seed) {
        Random rng = new Random(seed);
        int n = 59;
        double[] starts = new double[n];
        double[] ends = new double[n];
        float[][] p = new float[n][];
        for (int j = 0; j < n; j++) {
            starts[j] = j / 2.0;
            ends[j] = starts[j] + 1;
            double c = starts[j] + 0.5;
            boolean acting = truth.stream().anyMatch(g -> c >= g.start() && c <= g.end());
            float a = (float) Math.min(0.95, Math.max(0.05, (acting ? 0.75 : 0.2) + 0.15 * rng.nextGaussian()));
            p[j] = new float[] {a, 1 - a};
        }
        return new ClipScores(Path.of(id + ".mp4"), starts, ends, p, List.of("act", "background"), 30);
    }

    static List<Segment> instances(String id, Random rng) {
        List<Segment> out = new ArrayList<>();
        double t = 1 + rng.nextDouble() * 3;
        while (true) {
            double len = 3 + rng.nextDouble() * 5;
            if (t + len > 29) {
                return out;
            }
            out.add(Segment.truth(id, t, t + len, "act"));
            t += len + 2 + rng.nextDouble() * 4;
        }
    }

    @Test
    void targetsMarkBoundaryRegionsAndActionness() {
        ClipScores s = video("v", List.of(Segment.truth("v", 10, 20, "act")), 0);
        float[][] y = BoundaryProposals.targets(s, List.of(Segment.truth("v", 10, 20, "act")));
        // Region half-width max(0.5, 0.1 * 10) = 1 s around 10 and 20: centres 9.0..11.0 and 19.0..21.0.
        for (int j = 0; j < s.clips(); j++) {
            double c = s.centre(j);
            assertEquals(Math.abs(c - 10) <= 1 ? 1f : 0f, y[0][j], "start at " + c);
            assertEquals(Math.abs(c - 20) <= 1 ? 1f : 0f, y[1][j], "end at " + c);
            assertEquals(c >= 10 && c <= 20 ? 1f : 0f, y[2][j], "actionness at " + c);
        }
    }

    @Test
    void candidatesArePeaksOrAboveHalfTheMaximum() {
        assertEquals(List.of(1, 3, 4), BoundaryProposals.candidates(new float[] {0.1f, 0.3f, 0.2f, 0.9f, 0.5f, 0.1f}));
    }

    @Test
    void aFittedTemRecallsHeldOutInstancesAndSurvivesSaveAndLoad() throws Exception {
        Random rng = new Random(1);
        List<ClipScores> train = new ArrayList<>();
        List<List<Segment>> truth = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Segment> g = instances("t" + i, rng);
            truth.add(g);
            train.add(video("t" + i, g, i));
        }
        List<Segment> heldOutTruth = new ArrayList<>();
        List<Segment> proposals = new ArrayList<>();
        try (BoundaryProposals tem = BoundaryProposals.fit(train, truth, 25, 0.01, 0)) {
            Path file = dir.resolve("tem.bin");
            tem.save(file);
            try (BoundaryProposals loaded = BoundaryProposals.load(file)) {
                for (int i = 0; i < 4; i++) {
                    List<Segment> g = instances("h" + i, rng);
                    heldOutTruth.addAll(g);
                    ClipScores s = video("h" + i, g, 100 + i);
                    assertArrayEquals(tem.boundaries(s)[0], loaded.boundaries(s)[0], 0f);
                    proposals.addAll(loaded.proposals(s, 12, 100));
                }
            }
        }
        ProposalRecall.Result r = ProposalRecall.evaluate(heldOutTruth, proposals);
        assertTrue(r.at(10) >= 0.5, "AR@10 = " + r.at(10));
    }
}
