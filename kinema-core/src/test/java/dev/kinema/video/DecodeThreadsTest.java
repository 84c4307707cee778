package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Frame threads change how fast frames come, never which frames or their pixels. */
class DecodeThreadsTest {
    private static final int[] SPREAD = {0, 14, 29, 43, 58, 72, 87, 101, 116, 130, 145, 159, 174, 188, 203, 216};
    private static final int[] CLIP = {120, 124, 128, 132, 136, 140, 144, 148};

    private static VideoFrames read(Path file, ReaderOptions.ThreadType type, int threads, int[] indices) {
        ReaderOptions options = ReaderOptions.builder().optSize(FrameSize.exact(64, 48))
                .optThreadType(type).optThreads(threads).build();
        try (VideoReader reader = VideoReader.open(file, options)) {
            VideoFrames frames = reader.read(indices);
            assertTrue(reader.stats().packetsSkippable() > 0, "non-reference frames are still skipped: " + reader.stats());
            return frames;
        }
    }

    @Test
    void frameThreadsGiveTheSameFramesAsOneThreadOnAFileWithBFrames() {
        Path cup = SharedData.file("cup.mp4"); // H.264 with B-frames, 217 frames
        for (int[] indices : new int[][] {SPREAD, CLIP}) {
            VideoFrames one = read(cup, ReaderOptions.ThreadType.FRAME, 1, indices);
            VideoFrames two = read(cup, ReaderOptions.ThreadType.FRAME, 2, indices);
            VideoFrames three = read(cup, ReaderOptions.ThreadType.FRAME_OR_SLICE, 3, indices);
            assertArrayEquals(one.rgb(), two.rgb(), "2 frame threads");
            assertArrayEquals(one.rgb(), three.rgb(), "3 threads, FFmpeg's default type");
        }
    }

    @Test
    void threadsPerReaderDivideTheCoresAndThePropertyOverridesThem() {
        int cores = Runtime.getRuntime().availableProcessors();
        String before = System.getProperty(ReaderOptions.DECODE_THREADS_PROPERTY);
        try {
            System.clearProperty(ReaderOptions.DECODE_THREADS_PROPERTY);
            assertEquals(Math.max(1, cores), ReaderOptions.threadsPerReader(1));
            assertEquals(Math.max(1, cores / 2), ReaderOptions.threadsPerReader(2));
            assertEquals(1, ReaderOptions.threadsPerReader(cores * 4), "never below one thread");
            System.setProperty(ReaderOptions.DECODE_THREADS_PROPERTY, "3");
            assertEquals(3, ReaderOptions.threadsPerReader(8));
            System.setProperty(ReaderOptions.DECODE_THREADS_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReaderOptions.threadsPerReader(1));
            assertTrue(e.getMessage().contains("kinema.decodeThreads"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ReaderOptions.DECODE_THREADS_PROPERTY);
            } else {
                System.setProperty(ReaderOptions.DECODE_THREADS_PROPERTY, before);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ReaderOptions.builder().optThreads(-1).build());
    }
}
