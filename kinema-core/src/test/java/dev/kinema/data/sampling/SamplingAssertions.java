package dev.kinema.data.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Helpers shared by the sampler tests. */
final class SamplingAssertions {
    private SamplingAssertions() {}

    /** Asserts the clips' frame indices, clip by clip, and that each clip's index is its position. */
    static void assertFrames(List<SampledClip> clips, int[]... expected) {
        assertEquals(expected.length, clips.size(), () -> "number of clips in " + clips);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(i, clips.get(i).index(), "clip index");
            assertArrayEquals(expected[i], clips.get(i).frameIndices(), "frames of clip " + i + " in " + clips);
        }
    }

    /** The first frame of each clip. */
    static int[] firstFrames(List<SampledClip> clips) {
        return clips.stream().mapToInt(c -> c.frameAt(0)).toArray();
    }

    /** {@code start, start + step, ...}, {@code count} values. */
    static int[] range(int start, int count, int step) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = start + i * step;
        }
        return r;
    }
}
