package dev.kinema.flow;

/**
 * The shape every in-memory {@link FlowVideo} shares (fields, step, H, W), checked once against the
 * number of values that hold it; subclasses say how the values are stored and copied out.
 */
abstract class AbstractFlowVideo implements FlowVideo {
    private final int fields;
    private final int step;
    private final int height;
    private final int width;

    /** @param values how many values the storage holds: must be fields×2×H×W */
    AbstractFlowVideo(long values, int fields, int step, int height, int width) {
        if (fields < 0 || step < 1 || height < 1 || width < 1 || (long) fields * 2 * height * width != values) {
            throw new IllegalArgumentException(values + " values do not make " + fields + "x2x" + height + "x" + width
                    + " flow with step " + step);
        }
        this.fields = fields;
        this.step = step;
        this.height = height;
        this.width = width;
    }

    @Override
    public final int fields() {
        return fields;
    }

    @Override
    public final int step() {
        return step;
    }

    @Override
    public final int height() {
        return height;
    }

    @Override
    public final int width() {
        return width;
    }

    /** Values per field: 2×H×W. */
    final int fieldSize() {
        return 2 * height * width;
    }

    /** "fields x 2 x H x W, step S", for toString. */
    final String shapeText() {
        return fields + "x2x" + height + "x" + width + ", step " + step;
    }
}
