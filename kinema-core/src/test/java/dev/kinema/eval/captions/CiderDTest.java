package dev.kinema.eval.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CIDEr-D on cases worked out by hand from the COCO evaluator's definition (see {@link CiderD}).
 * Two videos, one reference each: "a b c d" and "e f g h", so every reference n-gram has df = 1 and
 * IDF log(2) - log(1) = log 2, as has an n-gram no reference contains (df 0, log max(1, 0) = 0).
 */
class CiderDTest {
    private static final List<List<List<String>>> REFS = List.of(List.of(CaptionText.words("a b c d")),
            List.of(CaptionText.words("e f g h")));

    @Test
    void handCheckedCase() {
        // Video 1, a perfect match: each order's cosine is 1, so 10 * mean(1, 1, 1, 1) = 10.
        // Video 2, "e f g x": all weights are log 2, so the cosines are count overlaps over norms:
        // unigrams 3 / (2 * 2), bigrams 2 / (sqrt 3 * sqrt 3), trigrams 1 / (sqrt 2 * sqrt 2), 4-grams 0;
        // both have 3 bigrams, so no length penalty: 10 * (3/4 + 2/3 + 1/2 + 0) / 4 = 4.791666...
        CiderD.Result r = CiderD.score(REFS, List.of(CaptionText.words("a b c d"), CaptionText.words("e f g x")));
        assertEquals(10.0, r.perVideo()[0], 1e-12);
        assertEquals(10 * (0.75 + 2.0 / 3 + 0.5) / 4, r.perVideo()[1], 1e-12);
        assertEquals((10 + 10 * (0.75 + 2.0 / 3 + 0.5) / 4) / 2, r.score(), 1e-12);
    }

    @Test
    void lengthPenaltyCountsBigramsAsTheEvaluatorDoes() {
        // "e f g" against "e f g h": cosines 3 / (sqrt 3 * 2), 2 / (sqrt 2 * sqrt 3), 1 / (1 * sqrt 2), 0;
        // 2 bigrams against 3: penalty exp(-1 / (2 * 36)).
        double expected = 10 * Math.exp(-1.0 / 72)
                * (3 / (Math.sqrt(3) * 2) + 2 / (Math.sqrt(2) * Math.sqrt(3)) + 1 / Math.sqrt(2)) / 4;
        CiderD.Result r = CiderD.score(REFS, List.of(CaptionText.words("a b c d"), CaptionText.words("e f g")));
        assertEquals(expected, r.perVideo()[1], 1e-12);
    }

    @Test
    void nGramsInEveryVideoWeighNothingAndClippingCapsRepeats() {
        // "the" is in both videos' references: IDF log 2 - log 2 = 0, so saying it earns nothing.
        List<List<List<String>>> refs = List.of(List.of(CaptionText.words("the red ball")),
                List.of(CaptionText.words("the blue rotor")));
        CiderD.Result r = CiderD.score(refs, List.of(CaptionText.words("the"), CaptionText.words("the")));
        assertEquals(0.0, r.score(), 1e-12);
        // Repeating a matching word does not raise its clipped weight beyond the reference's.
        double once = CiderD.score(refs, List.of(CaptionText.words("red"), CaptionText.words("blue"))).perVideo()[0];
        double thrice = CiderD.score(refs, List.of(CaptionText.words("red red red"), CaptionText.words("blue"))).perVideo()[0];
        assertEquals(true, thrice < once, thrice + " vs " + once);
    }

    @Test
    void refusesMismatchedInput() {
        assertThrows(IllegalArgumentException.class, () -> CiderD.score(REFS, List.of(CaptionText.words("a"))));
    }
}
