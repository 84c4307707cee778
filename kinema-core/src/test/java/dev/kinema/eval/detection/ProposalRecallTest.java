package dev.kinema.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.annotations.Segment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MMAction2's tests/evaluation/metrics/test_metric_utils.py::test_average_recall_at_avg_proposals, case by case. */
class ProposalRecallTest {
    private static final double[] T = ActivityNetMap.THRESHOLDS;

    private static Segment gt(String v, double s, double e) {
        return Segment.truth(v, s, e, "");
    }

    private static Segment p(String v, double s, double e, double score) {
        return new Segment(v, s, e, "", score);
    }

    private static final List<Segment> TWO_VIDEOS = List.of(gt("v_test1", 0, 1), gt("v_test1", 1, 2), gt("v_test2", 0, 1), gt("v_test2", 1, 2));

    @Test
    void perfectProposalsRecallHalfThenAll() {
        List<Segment> proposals = List.of(p("v_test1", 0, 1, 1), p("v_test1", 1, 2, 1), p("v_test2", 0, 1, 1), p("v_test2", 1, 2, 1));
        ProposalRecall.Result r = ProposalRecall.evaluate(TWO_VIDEOS, proposals, 0, T);
        for (int j = 0; j < 100; j++) {
            double expected = j < 49 ? 0 : j < 99 ? 0.5 : 1;
            assertEquals(expected, r.averageRecall()[j], 0, "point " + j);
            for (double[] row : r.recall()) {
                assertEquals(expected, row[j], 0);
            }
            assertEquals(0.02 * (j + 1), r.proposalsPerVideo()[j], 1e-10);
        }
        assertEquals(25.5, r.auc(), 1e-12);
    }

    @Test
    void disjointProposalsRecallNothing() {
        List<Segment> proposals = List.of(p("v_test1", 10, 11, 0.6), p("v_test1", 11, 12, 0.4), p("v_test2", 10, 11, 0.6),
                p("v_test2", 11, 12, 0.4));
        ProposalRecall.Result r = ProposalRecall.evaluate(TWO_VIDEOS, proposals, 0, T);
        for (int j = 0; j < 100; j++) {
            assertEquals(0, r.averageRecall()[j], 0);
            assertEquals(0.02 * (j + 1), r.proposalsPerVideo()[j], 1e-10);
        }
        assertEquals(0, r.auc(), 0);
    }

    @Test
    void bestScoredProposalFirstRecallsAtOneProposal() {
        List<Segment> proposals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            proposals.add(p("v_test1", i, i + 1, 1.0 / (i + 1)));
        }
        ProposalRecall.Result r = ProposalRecall.evaluate(List.of(gt("v_test1", 0, 1)), proposals, 100, T);
        for (int j = 0; j < 100; j++) {
            assertEquals(1, r.averageRecall()[j], 0);
            assertEquals(j + 1, r.proposalsPerVideo()[j], 1e-10);
        }
        assertEquals(99.0, r.auc(), 1e-12);
        assertEquals(1, r.at(1), 0);
        assertEquals(1, r.at(100), 0);
    }
}
