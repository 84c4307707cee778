package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sample counts of a {@link VideoDataset} by class and split, from the annotations alone (nothing
 * is opened or decoded), with the problem counts of its report. What a {@code dataset stats}
 * command prints before it looks inside the videos.
 */
public final class DatasetSummary {
    private final List<String> labels;
    private final List<String> splits;
    private final int[][] counts;
    private final int[] unlabeled;
    private final int[] frameFolders;
    private final Map<Kind, Integer> problems;

    private DatasetSummary(List<String> labels, List<String> splits, int[][] counts, int[] unlabeled,
            int[] frameFolders, Map<Kind, Integer> problems) {
        this.labels = labels;
        this.splits = splits;
        this.counts = counts;
        this.unlabeled = unlabeled;
        this.frameFolders = frameFolders;
        this.problems = problems;
    }

    public static DatasetSummary of(VideoDataset dataset) {
        List<String> splits = dataset.splits();
        int[][] counts = new int[splits.size()][dataset.numClasses()];
        int[] unlabeled = new int[splits.size()];
        int[] frames = new int[splits.size()];
        for (int s = 0; s < splits.size(); s++) {
            for (VideoSample v : dataset.samples(splits.get(s))) {
                if (v.isLabeled()) {
                    counts[s][v.label()]++;
                } else {
                    unlabeled[s]++;
                }
                if (v.isFrameFolder()) {
                    frames[s]++;
                }
            }
        }
        return new DatasetSummary(dataset.labels(), splits, counts, unlabeled, frames, dataset.report().counts());
    }

    public List<String> labels() {
        return labels;
    }

    public List<String> splits() {
        return splits;
    }

    /** Samples of class {@code label} in {@code split}. */
    public int count(String split, int label) {
        return counts[splitIndex(split)][label];
    }

    /** Samples of class {@code labelName} in {@code split}. */
    public int count(String split, String labelName) {
        int label = labels.indexOf(labelName);
        if (label < 0) {
            throw new IllegalArgumentException("no class '" + labelName + "'");
        }
        return count(split, label);
    }

    /** Samples with no label in {@code split} (held-out test annotations). */
    public int unlabeled(String split) {
        return unlabeled[splitIndex(split)];
    }

    /** Samples of {@code split} that are frame folders rather than video files. */
    public int frameFolders(String split) {
        return frameFolders[splitIndex(split)];
    }

    /** All samples of {@code split}, labeled or not. */
    public int total(String split) {
        int s = splitIndex(split);
        int n = unlabeled[s];
        for (int c : counts[s]) {
            n += c;
        }
        return n;
    }

    /** All samples of class {@code label}, over every split. */
    public int classTotal(int label) {
        int n = 0;
        for (int[] c : counts) {
            n += c[label];
        }
        return n;
    }

    /** All samples. */
    public int total() {
        int n = 0;
        for (String s : splits) {
            n += total(s);
        }
        return n;
    }

    /** The classes with no sample in {@code split}, in class order. */
    public List<String> emptyClasses(String split) {
        int s = splitIndex(split);
        List<String> out = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            if (counts[s][c] == 0) {
                out.add(labels.get(c));
            }
        }
        return out;
    }

    /** Problem counts by kind (only kinds that occurred). */
    public Map<Kind, Integer> problems() {
        return problems;
    }

    private int splitIndex(String split) {
        int s = splits.indexOf(split);
        if (s < 0) {
            throw new IllegalArgumentException("no split '" + split + "'; splits are " + String.join(", ", splits));
        }
        return s;
    }

    /**
     * A table: a row per class, a column per split and a total column, then an "(unlabeled)" row
     * when some samples have no label, a "total" row, and a line of problem counts.
     */
    public String format() {
        boolean anyUnlabeled = false;
        for (int u : unlabeled) {
            anyUnlabeled |= u > 0;
        }
        int nameWidth = anyUnlabeled ? "(unlabeled)".length() : "class".length();
        for (String l : labels) {
            nameWidth = Math.max(nameWidth, l.length());
        }
        List<String> header = new ArrayList<>(splits);
        header.add("total");
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = Math.max(header.get(i).length(), Integer.toString(total()).length());
        }
        StringBuilder b = new StringBuilder();
        row(b, "class", nameWidth, header.toArray(String[]::new), widths);
        for (int c = 0; c < labels.size(); c++) {
            String[] cells = new String[header.size()];
            for (int s = 0; s < splits.size(); s++) {
                cells[s] = Integer.toString(counts[s][c]);
            }
            cells[splits.size()] = Integer.toString(classTotal(c));
            row(b, labels.get(c), nameWidth, cells, widths);
        }
        if (anyUnlabeled) {
            String[] cells = new String[header.size()];
            int all = 0;
            for (int s = 0; s < splits.size(); s++) {
                cells[s] = Integer.toString(unlabeled[s]);
                all += unlabeled[s];
            }
            cells[splits.size()] = Integer.toString(all);
            row(b, "(unlabeled)", nameWidth, cells, widths);
        }
        String[] totals = new String[header.size()];
        for (int s = 0; s < splits.size(); s++) {
            totals[s] = Integer.toString(total(splits.get(s)));
        }
        totals[splits.size()] = Integer.toString(total());
        row(b, "total", nameWidth, totals, widths);
        b.append(labels.size()).append(labels.size() == 1 ? " class, " : " classes, ");
        if (problems.isEmpty()) {
            b.append("no problems");
        } else {
            List<String> parts = new ArrayList<>();
            for (var e : problems.entrySet()) {
                parts.add(e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            b.append("problems: ").append(String.join(", ", parts));
        }
        return b.append('\n').toString();
    }

    private static void row(StringBuilder b, String name, int nameWidth, String[] cells, int[] widths) {
        b.append(name).append(" ".repeat(nameWidth - name.length()));
        for (int i = 0; i < cells.length; i++) {
            b.append("  ").append(" ".repeat(Math.max(0, widths[i] - cells[i].length()))).append(cells[i]);
        }
        b.append('\n');
    }

    @Override
    public String toString() {
        return format();
    }
}
