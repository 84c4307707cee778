package dev.kinema.flow;

/** Helpers over any {@link FlowVideo}. */
public final class FlowVideos {
    private FlowVideos() {}

    /**
     * The stack of {@code count} consecutive fields from {@code first}: a new [2·count]×H×W array,
     * channels dx₀, dy₀, dx₁, dy₁, ... (the temporal stream's input for one clip).
     */
    public static float[] stack(FlowVideo flow, int first, int count) {
        float[] out = new float[count * 2 * flow.height() * flow.width()];
        flow.copy(first, count, out, 0);
        return out;
    }

    /** The whole flow of a video as a new fields×2×H×W array. */
    public static float[] all(FlowVideo flow) {
        return stack(flow, 0, flow.fields());
    }

    static void checkRange(FlowVideo flow, int first, int count) {
        if (first < 0 || count < 0 || first + count > flow.fields()) {
            throw new IndexOutOfBoundsException("flow fields [" + first + ", " + (first + count)
                    + ") are outside [0, " + flow.fields() + ")");
        }
    }
}
