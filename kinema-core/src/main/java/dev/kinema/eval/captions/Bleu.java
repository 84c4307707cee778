package dev.kinema.eval.captions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-4 exactly as NLTK 3.8's {@code corpus_bleu} computes it with its defaults (uniform
 * weights 0.25, no smoothing, no re-weighting): clipped n-gram counts and their totals (each
 * sentence's total at least 1) summed over the corpus before dividing, the brevity penalty from the
 * summed hypothesis lengths and the summed closest reference lengths (ties to the shorter), and a
 * precision with no match taken as the smallest double, as NLTK's {@code method0} does, which makes
 * the score vanish. {@code BleuGoldenTest} compares it with NLTK.
 */
public final class Bleu {
    public static final int ORDER = 4;

    private Bleu() {}

    /**
     * @param references per hypothesis, its reference sentences as words
     * @param hypotheses the sentences scored, as words
     */
    public static double corpus(List<List<List<String>>> references, List<List<String>> hypotheses) {
        if (references.size() != hypotheses.size()) {
            throw new IllegalArgumentException("BLEU needs one reference list per hypothesis, got " + references.size()
                    + " reference lists for " + hypotheses.size() + " hypotheses");
        }
        long[] numerators = new long[ORDER + 1];
        long[] denominators = new long[ORDER + 1];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (int s = 0; s < hypotheses.size(); s++) {
            List<String> hypothesis = hypotheses.get(s);
            List<List<String>> refs = references.get(s);
            for (int n = 1; n <= ORDER; n++) {
                Map<String, Integer> counts = NGrams.count(hypothesis, n);
                Map<String, Integer> maxRef = new HashMap<>();
                for (List<String> ref : refs) {
                    NGrams.count(ref, n).forEach((g, c) -> maxRef.merge(g, c, Math::max));
                }
                long clipped = 0;
                long total = 0;
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    clipped += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    total += e.getValue();
                }
                numerators[n] += clipped;
                denominators[n] += Math.max(1, total);
            }
            hypothesisLength += hypothesis.size();
            referenceLength += closestLength(refs, hypothesis.size());
        }
        if (numerators[1] == 0) {
            return 0;
        }
        double logSum = 0;
        for (int n = 1; n <= ORDER; n++) {
            double p = numerators[n] == 0 ? Double.MIN_NORMAL : (double) numerators[n] / denominators[n];
            logSum += Math.log(p) / ORDER;
        }
        return brevityPenalty(referenceLength, hypothesisLength) * Math.exp(logSum);
    }

    private static int closestLength(List<List<String>> refs, int hypothesisLength) {
        int best = -1;
        for (List<String> ref : refs) {
            int len = ref.size();
            int d = Math.abs(len - hypothesisLength);
            if (best < 0 || d < Math.abs(best - hypothesisLength) || (d == Math.abs(best - hypothesisLength) && len < best)) {
                best = len;
            }
        }
        return Math.max(best, 0);
    }

    private static double brevityPenalty(long referenceLength, long hypothesisLength) {
        if (hypothesisLength > referenceLength) {
            return 1;
        }
        return hypothesisLength == 0 ? 0 : Math.exp(1 - (double) referenceLength / hypothesisLength);
    }
}
