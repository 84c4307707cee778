package dev.kinema.nn;

/**
 * One row of a {@link LayerTable}: a named layer, what it does, the per-clip shape after it
 * (C×T×H×W convention), its trainable parameters, its multiply-adds per clip, and the receptive
 * field of one of its output units as T×H×W input samples.
 */
public record LayerRow(String name, String op, long[] shape, long params, long macs, long[] receptiveField) {
    public LayerRow {
        shape = shape.clone();
        receptiveField = receptiveField.clone();
    }

    /** The shape as the lecture writes it, e.g. {@code 64 x 16 x 112 x 112}. */
    public String shapeText() {
        return FeatureMap.join(shape);
    }

    /** The receptive field as the lecture writes it, e.g. {@code 3 x 3 x 3}. */
    public String receptiveFieldText() {
        return FeatureMap.join(receptiveField);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] receptiveField() {
        return receptiveField.clone();
    }
}
