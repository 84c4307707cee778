package dev.kinema.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionMetricsTest {
    @Test
    void scoresCaptionsOverPredictedVideos(@TempDir Path dir) throws Exception {
        Path ref = Files.writeString(dir.resolve("ref.json"), """
                {"videos": [{"video_id": "v1", "split": "test"}, {"video_id": "v2", "split": "test"},
                            {"video_id": "v3", "split": "train"}], "sentences": [
                  {"caption": "a red figure waves", "video_id": "v1", "sen_id": 0},
                  {"caption": "a red figure waves one arm", "video_id": "v1", "sen_id": 1},
                  {"caption": "a blue rotor turns clockwise", "video_id": "v2", "sen_id": 2},
                  {"caption": "a green ball bounces", "video_id": "v3", "sen_id": 3}]}""");
        Path pred = Files.writeString(dir.resolve("pred.json"), """
                [{"video_id": "v1", "caption": "a red figure waves"},
                 {"video_id": "v2", "caption": "a blue rotor turns anticlockwise"}]""");
        CaptionMetrics.Report r = CaptionMetrics.evaluate(ref, pred);
        assertNull(r.questions());
        assertEquals(2, r.captions().videos());
        assertEquals(1, r.captions().missing());
        List<List<List<String>>> refs = List.of(List.of(CaptionText.words("a red figure waves"),
                CaptionText.words("a red figure waves one arm")), List.of(CaptionText.words("a blue rotor turns clockwise")));
        List<List<String>> hyps = List.of(CaptionText.words("a red figure waves"), CaptionText.words("a blue rotor turns anticlockwise"));
        assertEquals(Bleu.corpus(refs, hyps), r.captions().bleu4(), 0);
        assertEquals(CiderD.score(refs, hyps).score(), r.captions().ciderD(), 0);
        assertTrue(r.captions().bleu4() > 0.3 && r.captions().bleu4() < 1, "" + r.captions().bleu4());
        CaptionMetrics.CaptionScores test = CaptionMetrics.evaluate(ref, pred, "test").captions();
        assertEquals(0, test.missing(), "v3 is a training video");
        assertEquals(r.captions().ciderD(), test.ciderD(), 0, "the IDF is over the references of the predicted videos");
    }

    @Test
    void qaAccuracyByType(@TempDir Path dir) throws Exception {
        Path ref = Files.writeString(dir.resolve("qa.json"), """
                [{"id": 0, "video_id": "v1", "question": "which way?", "answer": "left", "type": "direction"},
                 {"id": 1, "video_id": "v1", "question": "what colour?", "answer": "red", "type": "colour"},
                 {"id": 2, "video_id": "v2", "question": "which way?", "answer": "right", "type": "direction"},
                 {"id": 3, "video_id": "v2", "question": "what first?", "answer": "the figure claps", "type": "order"}]""");
        Path pred = Files.writeString(dir.resolve("pred.json"), """
                [{"id": 0, "answer": "Left."}, {"id": 1, "answer": "red"}, {"id": 2, "answer": "left"}]""");
        CaptionMetrics.QaScores q = CaptionMetrics.evaluate(ref, pred).questions();
        assertEquals(0.5, q.accuracy().accuracy("direction"));
        assertEquals(1.0, q.accuracy().accuracy("colour"));
        assertTrue(Double.isNaN(q.accuracy().accuracy("order")));
        assertEquals(2.0 / 3, q.accuracy().overall(), 1e-15);
        assertEquals(1, q.missing());
    }

    @Test
    void badInputNamesTheFileAndTheReason(@TempDir Path dir) throws Exception {
        Path ref = Files.writeString(dir.resolve("ref.json"), "{\"sentences\": [{\"caption\": \"a b\", \"video_id\": \"v1\"}]}");
        Path unknown = Files.writeString(dir.resolve("p1.json"), "[{\"video_id\": \"v9\", \"caption\": \"a b\"}]");
        Path broken = Files.writeString(dir.resolve("p2.json"), "[{\"video_id\": \"v1\"");
        Path noCaption = Files.writeString(dir.resolve("p3.json"), "[{\"video_id\": \"v1\"}]");
        assertMessage(() -> CaptionMetrics.evaluate(ref, unknown), "p1.json", "v9");
        assertMessage(() -> CaptionMetrics.evaluate(ref, broken), "p2.json", "not valid JSON");
        assertMessage(() -> CaptionMetrics.evaluate(ref, noCaption), "p3.json", "\"caption\"");
        assertMessage(() -> CaptionMetrics.evaluate(dir.resolve("none.json"), noCaption), "none.json", "no such file");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
