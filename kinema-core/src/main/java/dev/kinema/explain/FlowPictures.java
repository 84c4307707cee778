package dev.kinema.explain;

import dev.kinema.flow.FlowColors;
import dev.kinema.flow.FlowVideo;
import dev.kinema.io.FloatTensor;
import dev.kinema.video.VideoFrames;

/**
 * A flow stack (a clip's 2×L×H×W {@code flow} field, a temporal stream's input or what class-score
 * optimisation made of one) as colour-wheel pictures, through {@link FlowColors}: one frame per field.
 */
final class FlowPictures {
    private FlowPictures() {}

    /** The fields of a 2×L×H×W stack as L frames, magnitudes over the stack's robust maximum. */
    static VideoFrames of(FloatTensor flow) {
        FlowVideo video = asVideo(flow);
        return of(video, FlowColors.robustMax(video));
    }

    /** The fields of a 2×L×H×W stack as L frames, magnitudes over {@code max}. */
    static VideoFrames of(FlowVideo video, float max) {
        int plane = video.height() * video.width();
        byte[] rgb = new byte[video.fields() * plane * 3];
        for (int k = 0; k < video.fields(); k++) {
            System.arraycopy(FlowColors.render(video, k, max), 0, rgb, k * plane * 3, plane * 3);
        }
        return new VideoFrames(rgb, video.fields(), video.height(), video.width());
    }

    /** A 2×L×H×W stack seen as a flow video of L fields. */
    static FlowVideo asVideo(FloatTensor flow) {
        long[] s = flow.shape();
        if (s.length != 4 || s[0] != 2) {
            throw new IllegalArgumentException("a flow stack is 2 x L x H x W, got " + flow.dims());
        }
        int fields = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] data = flow.data();
        return new FlowVideo() {
            @Override
            public int fields() {
                return fields;
            }

            @Override
            public int step() {
                return 1;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public int width() {
                return w;
            }

            @Override
            public void copy(int first, int count, float[] dst, int offset) {
                if (first < 0 || count < 0 || first + count > fields) {
                    throw new IndexOutOfBoundsException("fields [" + first + ", " + (first + count) + ") of " + fields);
                }
                int plane = h * w;
                for (int k = 0; k < count; k++) {
                    for (int c = 0; c < 2; c++) {
                        System.arraycopy(data, (c * fields + first + k) * plane, dst, offset + (k * 2 + c) * plane, plane);
                    }
                }
            }
        };
    }
}
