package dev.kinema.eval.captions;

import java.util.Map;
import java.util.TreeMap;

/**
 * Question-answering accuracy by question type: an answer is right when its {@linkplain
 * CaptionText#normalise normalised} words equal the reference's (MSRVTT-QA's exact match).
 */
public final class QaAccuracy {
    private final Map<String, long[]> byType = new TreeMap<>();

    /** Counts one answered question of {@code type}. */
    public void add(String type, String reference, String predicted) {
        long[] c = byType.computeIfAbsent(type, t -> new long[2]);
        c[1]++;
        if (CaptionText.normalise(reference).equals(CaptionText.normalise(predicted))) {
            c[0]++;
        }
    }

    /** type -> {correct, total}, types in alphabetical order. */
    public Map<String, long[]> counts() {
        return byType;
    }

    /** Accuracy over the questions of {@code type}; NaN when there were none. */
    public double accuracy(String type) {
        long[] c = byType.get(type);
        return c == null || c[1] == 0 ? Double.NaN : (double) c[0] / c[1];
    }

    /** Accuracy over all questions; NaN when there were none. */
    public double overall() {
        long right = 0;
        long total = 0;
        for (long[] c : byType.values()) {
            right += c[0];
            total += c[1];
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }
}
