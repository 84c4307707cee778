package dev.kinema.eval.captions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts of the n-grams of one sentence, the shared first step of BLEU and CIDEr. */
final class NGrams {
    private NGrams() {}

    /** How often each n-gram of exactly {@code n} words occurs, keyed by its words joined by a space. */
    static Map<String, Integer> count(List<String> words, int n) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            out.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }
}
