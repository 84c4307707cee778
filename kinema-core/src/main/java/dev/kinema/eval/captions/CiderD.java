package dev.kinema.eval.captions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D as the COCO caption evaluator ({@code pycocoevalcap/cider/cider_scorer.py}) computes it:
 * for n = 1..4, TF-IDF vectors of n-gram counts with IDF {@code log(videos) - log(max(1, df))}, df
 * counting the videos whose references contain the n-gram; per reference, the cosine of the
 * candidate's vector with the reference's, the candidate's weights clipped to the reference's,
 * times a Gaussian length penalty {@code exp(-delta^2 / (2 * 6^2))}; averaged over n and over
 * the references, times 10; the corpus score is the mean over videos.
 *
 * <p>One quirk is kept on purpose, so numbers compare with published ones: the evaluator's "length"
 * in the penalty counts a sentence's bigrams ({@code if n == 1} on the 0-based order), not its words.
 */
public final class CiderD {
    public static final int ORDER = 4;
    public static final double SIGMA = 6;

    private CiderD() {}

    /** The corpus score and each video's, in the order given. */
    public record Result(double score, double[] perVideo) {}

    private record Vector(List<Map<String, Double>> weights, double[] norms, int length) {}

    /**
     * @param references per video, its reference sentences as words (the IDF is taken over these)
     * @param candidates per video, the one sentence scored
     */
    public static Result score(List<List<List<String>>> references, List<List<String>> candidates) {
        if (references.size() != candidates.size() || references.isEmpty()) {
            throw new IllegalArgumentException("CIDEr-D needs one reference list per candidate and at least one video, got "
                    + references.size() + " reference lists for " + candidates.size() + " candidates");
        }
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<List<String>> refs : references) {
            Set<String> seen = new HashSet<>();
            for (List<String> ref : refs) {
                for (int n = 1; n <= ORDER; n++) {
                    seen.addAll(NGrams.count(ref, n).keySet());
                }
            }
            seen.forEach(g -> documentFrequency.merge(g, 1, Integer::sum));
        }
        double logVideos = Math.log(references.size());
        double[] perVideo = new double[candidates.size()];
        double sum = 0;
        for (int v = 0; v < candidates.size(); v++) {
            Vector candidate = vector(candidates.get(v), documentFrequency, logVideos);
            double[] total = new double[ORDER];
            List<List<String>> refs = references.get(v);
            for (List<String> ref : refs) {
                Vector r = vector(ref, documentFrequency, logVideos);
                double delta = candidate.length() - r.length();
                double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
                for (int n = 0; n < ORDER; n++) {
                    double dot = 0;
                    Map<String, Double> rw = r.weights().get(n);
                    for (Map.Entry<String, Double> e : candidate.weights().get(n).entrySet()) {
                        double refWeight = rw.getOrDefault(e.getKey(), 0.0);
                        dot += Math.min(e.getValue(), refWeight) * refWeight;
                    }
                    if (candidate.norms()[n] != 0 && r.norms()[n] != 0) {
                        dot /= candidate.norms()[n] * r.norms()[n];
                    }
                    total[n] += dot * penalty;
                }
            }
            double mean = 0;
            for (double t : total) {
                mean += t / ORDER;
            }
            perVideo[v] = refs.isEmpty() ? 0 : mean / refs.size() * 10;
            sum += perVideo[v];
        }
        return new Result(sum / candidates.size(), perVideo);
    }

    private static Vector vector(List<String> words, Map<String, Integer> documentFrequency, double logVideos) {
        List<Map<String, Double>> weights = new ArrayList<>();
        double[] norms = new double[ORDER];
        int length = 0;
        for (int n = 1; n <= ORDER; n++) {
            Map<String, Double> w = new HashMap<>();
            for (Map.Entry<String, Integer> e : NGrams.count(words, n).entrySet()) {
                double idf = logVideos - Math.log(Math.max(1.0, documentFrequency.getOrDefault(e.getKey(), 0)));
                double value = e.getValue() * idf;
                w.put(e.getKey(), value);
                norms[n - 1] += value * value;
                if (n == 2) {
                    length += e.getValue();
                }
            }
            weights.add(w);
            norms[n - 1] = Math.sqrt(norms[n - 1]);
        }
        return new Vector(weights, norms, length);
    }
}
