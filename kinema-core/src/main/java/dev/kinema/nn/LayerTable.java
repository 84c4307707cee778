package dev.kinema.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network's per-layer table for one input clip, as built by {@link Profiler}: each row's output
 * shape, trainable parameters, multiply-adds (MACs) and receptive field, plus totals.
 *
 * <p>MACs follow the lecture's and torchvision's convention, where one multiply-add is one "FLOP"
 * (see {@link Profiler}).
 */
public final class LayerTable {
    private final FeatureMap input;
    private final FeatureMap output;
    private final List<LayerRow> rows;
    private final long totalParams;
    private final long totalMacs;

    LayerTable(FeatureMap input, FeatureMap output, List<LayerRow> rows, long totalParams, long totalMacs) {
        this.input = input;
        this.output = output;
        this.rows = List.copyOf(rows);
        this.totalParams = totalParams;
        this.totalMacs = totalMacs;
    }

    /** The clip, C×T×H×W. */
    public long[] inputShape() {
        return input.shape();
    }

    /** What comes out per clip (for a classifier, the class scores). */
    public long[] outputShape() {
        return output.shape();
    }

    public List<LayerRow> rows() {
        return rows;
    }

    /** The row called {@code name}. */
    public LayerRow row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer '" + name + "'; layers are "
                        + rows.stream().map(LayerRow::name).toList()));
    }

    /** Trainable parameters of the whole network. */
    public long totalParams() {
        return totalParams;
    }

    /** Multiply-adds for one clip through the whole network. */
    public long totalMacs() {
        return totalMacs;
    }

    /**
     * The table as aligned text: an input line, one line per layer, and a totals line.
     *
     * <pre>
     * layer  op                     output (C x T x H x W)  params  MACs     RF (T x H x W)
     * input                         3 x 20 x 64 x 64
     * conv1  Conv3D(3x3x3, 3->12)   12 x 20 x 64 x 64       996     79.63 M  3 x 3 x 3
     * </pre>
     */
    public String toText() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"layer", "op", "output (C x T x H x W)", "params", "MACs", "RF (T x H x W)"});
        lines.add(new String[] {"input", "", input.shapeText(), "", "", ""});
        for (LayerRow r : rows) {
            lines.add(new String[] {r.name(), r.op(), r.shapeText(), String.format(Locale.ROOT, "%,d", r.params()),
                formatMacs(r.macs()), r.receptiveFieldText()});
        }
        lines.add(new String[] {"total", "", "", String.format(Locale.ROOT, "%,d", totalParams), formatMacs(totalMacs), ""});
        int[] width = new int[6];
        for (String[] l : lines) {
            for (int i = 0; i < 6; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        boolean[] right = {false, false, false, true, true, false};
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                String cell = l[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(right[i] ? pad + cell : cell + pad);
                line.append(i < 5 ? "  " : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** Multiply-adds with a unit: {@code 1.04 G}, {@code 79.63 M}, {@code 2.30 K}, or the plain count below 1000. */
    public static String formatMacs(long macs) {
        if (macs >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", macs / 1e9);
        }
        if (macs >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", macs / 1e6);
        }
        if (macs >= 1_000L) {
            return String.format(Locale.ROOT, "%.2f K", macs / 1e3);
        }
        return Long.toString(macs);
    }

    @Override
    public String toString() {
        return toText();
    }
}
