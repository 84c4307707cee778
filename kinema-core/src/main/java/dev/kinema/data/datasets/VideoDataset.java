package dev.kinema.data.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An annotated video dataset as read from disk: the class list (index → name, in a stable order
 * set by the layout), the samples of each split, and the problems met while reading.
 *
 * <p>Splits are kept in the order train, val, test, then any others by name. {@link #samples(String)}
 * accepts the usual aliases ("validation" finds "val" and the other way round).
 */
public final class VideoDataset {
    private final DatasetFormat format;
    private final Path root;
    private final List<String> labels;
    private final Map<String, List<VideoSample>> splits;
    private final DatasetReport report;

    /**
     * @param format the layout it was read from
     * @param root the dataset root the sample paths are under
     * @param labels class names by index
     * @param splits samples by split name; each sample's {@code split} must equal its key and its
     *     label must index {@code labels} with the same name
     * @param report the problems met while reading
     */
    public VideoDataset(DatasetFormat format, Path root, List<String> labels, Map<String, List<VideoSample>> splits,
            DatasetReport report) {
        this.format = Objects.requireNonNull(format, "format");
        this.root = Objects.requireNonNull(root, "root");
        this.labels = List.copyOf(labels);
        this.report = Objects.requireNonNull(report, "report");
        List<String> names = new ArrayList<>(splits.keySet());
        names.sort(Splits.ORDER);
        Map<String, List<VideoSample>> copy = new LinkedHashMap<>();
        for (String split : names) {
            List<VideoSample> samples = List.copyOf(splits.get(split));
            for (VideoSample s : samples) {
                if (!s.split().equals(split)) {
                    throw new IllegalArgumentException("sample " + s.path() + " has split '" + s.split()
                            + "' but is listed under '" + split + "'");
                }
                if (s.label() >= this.labels.size() || (s.isLabeled() && !this.labels.get(s.label()).equals(s.labelName()))) {
                    throw new IllegalArgumentException("sample " + s.path() + " has label " + s.label() + " '"
                            + s.labelName() + "', which is not in the class list");
                }
            }
            copy.put(split, samples);
        }
        this.splits = Collections.unmodifiableMap(copy);
    }

    public DatasetFormat format() {
        return format;
    }

    public Path root() {
        return root;
    }

    /** Class names; the index in this list is the sample's {@link VideoSample#label()}. */
    public List<String> labels() {
        return labels;
    }

    public int numClasses() {
        return labels.size();
    }

    public String labelName(int label) {
        return labels.get(label);
    }

    /** The index of class {@code name}, or -1. */
    public int labelIndex(String name) {
        return labels.indexOf(name);
    }

    /** The split names, train/val/test first. */
    public List<String> splits() {
        return List.copyOf(splits.keySet());
    }

    /** The split called {@code name} or one of its aliases ("validation" for "val", ...). */
    public Optional<String> findSplit(String name) {
        if (splits.containsKey(name)) {
            return Optional.of(name);
        }
        String canonical = Splits.canonical(name);
        if (canonical != null) {
            for (String s : splits.keySet()) {
                if (canonical.equals(Splits.canonical(s))) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    public boolean hasSplit(String name) {
        return findSplit(name).isPresent();
    }

    /**
     * The samples of split {@code name} (or an alias of it), in the layout's order.
     *
     * @throws IllegalArgumentException when there is no such split; the message lists the splits
     */
    public List<VideoSample> samples(String name) {
        String split = findSplit(name).orElseThrow(() -> new IllegalArgumentException(
                "no split '" + name + "' in this dataset; its splits are " + String.join(", ", splits.keySet())));
        return splits.get(split);
    }

    /** Every sample, split after split. */
    public List<VideoSample> samples() {
        List<VideoSample> all = new ArrayList<>(size());
        for (List<VideoSample> s : splits.values()) {
            all.addAll(s);
        }
        return all;
    }

    public int size() {
        int n = 0;
        for (List<VideoSample> s : splits.values()) {
            n += s.size();
        }
        return n;
    }

    /** The problems met while reading (empty in strict mode, which throws the first one instead). */
    public DatasetReport report() {
        return report;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(format.id()).append(" dataset at ").append(root).append(": ").append(labels.size()).append(" classes");
        for (var e : splits.entrySet()) {
            b.append(", ").append(e.getKey()).append(' ').append(e.getValue().size());
        }
        b.append(", ").append(report.size()).append(report.size() == 1 ? " problem" : " problems");
        return b.toString();
    }
}
