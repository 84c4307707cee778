package dev.kinema.weights;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link WeightLoader} did: which parameters it set and which names did not match.
 *
 * @param file the weights file
 * @param mapping the name mapping applied to the file's names
 * @param loaded model parameters that were set, by Kinema name
 * @param missing model parameters the file has no tensor for (left as they were)
 * @param unexpected file tensors (by the file's own name) that no model parameter takes
 * @param mismatched parameters whose tensor exists but does not fit (shape, or a dtype Kinema
 *     does not convert), with both sides
 * @param ignored file tensors skipped on purpose: BatchNorm's {@code num_batches_tracked}, a step
 *     counter that does not change what a model computes
 * @param renamed file tensors whose name the mapping changed
 */
public record LoadReport(Path file, NameMapping mapping, List<String> loaded, List<String> missing,
        List<String> unexpected, List<Mismatch> mismatched, List<String> ignored, int renamed) {
    /** How many names of each kind a message lists before it says "and N more". */
    static final int LISTED = 50;

    /** A tensor that does not fit its parameter. */
    public record Mismatch(String name, String model, String file) {
        @Override
        public String toString() {
            return name + ": model " + model + ", file " + file;
        }
    }

    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
        ignored = List.copyOf(ignored);
    }

    /** True when every parameter was set and every tensor was used (or ignored on purpose). */
    public boolean isComplete() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    /** One line: counts of each kind. */
    public String summary() {
        return summary("loaded");
    }

    /** {@link #summary()} with {@code verb} for what happened to the matching tensors. */
    String summary(String verb) {
        StringBuilder b = new StringBuilder().append(loaded.size()).append(" tensors ").append(verb);
        if (!missing.isEmpty()) {
            b.append(", ").append(missing.size()).append(" missing");
        }
        if (!unexpected.isEmpty()) {
            b.append(", ").append(unexpected.size()).append(" unexpected");
        }
        if (!mismatched.isEmpty()) {
            b.append(", ").append(mismatched.size()).append(" mis-shaped");
        }
        if (!ignored.isEmpty()) {
            b.append(", ").append(ignored.size()).append(" num_batches_tracked ignored");
        }
        if (renamed > 0) {
            b.append(", ").append(renamed).append(" renamed by mapping ").append(mapping.name());
        }
        return b.toString();
    }

    /** The names that did not match, by kind, one a line (empty when complete). */
    public String details() {
        StringBuilder b = new StringBuilder();
        list(b, "missing (in the model, not in the file)", missing);
        list(b, "unexpected (in the file, not in the model)", unexpected);
        list(b, "mis-shaped", mismatched.stream().map(Mismatch::toString).toList());
        return b.toString().stripTrailing();
    }

    private static void list(StringBuilder b, String title, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        b.append("  ").append(title).append(": ").append(names.size()).append('\n');
        names.stream().limit(LISTED).forEach(n -> b.append("    ").append(n).append('\n'));
        if (names.size() > LISTED) {
            b.append("    ... and ").append(names.size() - LISTED).append(" more\n");
        }
    }
}
