package dev.kinema.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kinema's corpus BLEU-4 against NLTK's {@code corpus_bleu} (tools/golden/caption_bleu.py). */
class BleuGoldenTest {
    @Test
    void equalsNltkCorpusBleu() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/captions/bleu.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int cases = 0;
        for (Map.Entry<String, JsonNode> c : golden.get("cases").properties()) {
            List<List<List<String>>> refs = new ArrayList<>();
            for (JsonNode group : c.getValue().get("references")) {
                List<List<String>> g = new ArrayList<>();
                group.forEach(s -> g.add(CaptionText.words(s.asText())));
                refs.add(g);
            }
            List<List<String>> hyps = new ArrayList<>();
            c.getValue().get("hypotheses").forEach(s -> hyps.add(CaptionText.words(s.asText())));
            double expected = c.getValue().get("bleu4").asDouble();
            assertEquals(expected, Bleu.corpus(refs, hyps), Math.max(1e-12, expected * 1e-12), c.getKey());
            cases++;
        }
        assertEquals(4, cases);
    }

    @Test
    void identicalCorpusScoresOneAndNoOverlapZero() {
        List<List<List<String>>> refs = List.of(List.of(CaptionText.words("a red figure waves one arm")));
        assertEquals(1.0, Bleu.corpus(refs, List.of(CaptionText.words("A red figure, waves one arm."))), 1e-15);
        assertEquals(0.0, Bleu.corpus(refs, List.of(CaptionText.words("pendulum swings"))));
        assertTrue(Bleu.corpus(refs, List.of(List.of())) == 0);
    }
}
