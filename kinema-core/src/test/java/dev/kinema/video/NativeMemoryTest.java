package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.IndexCodedVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding allocates native memory the garbage collector cannot see (codec contexts, frames,
 * scaler buffers), so a leak shows only in the resident set. A 720p frame is 1.4 MB: leaking one
 * per clip would add over a gigabyte here.
 */
class NativeMemoryTest {
    @TempDir
    Path dir;

    @Test
    void residentMemoryStaysFlatOverAThousandClipsOf720p() throws IOException {
        Path video = dir.resolve("hd.mp4");
        IndexCodedVideo.write(VideoWriter.builder(video).setSize(1280, 720).optFps(25).optGopSize(8), 24);
        ReaderOptions options = ReaderOptions.builder().optSize(FrameSize.exact(112, 112)).build();
        Random rng = new Random(11);
        long warm = 0;
        for (int clip = 0; clip < 1000; clip++) {
            int a = rng.nextInt(24);
            int b = rng.nextInt(24);
            try (VideoReader reader = VideoReader.open(video, options)) {
                VideoFrames frames = reader.read(a, b);
                assertArrayEquals(new int[] {a, b}, IndexCodedVideo.decodeAll(frames));
            }
            if (clip == 99) {
                System.gc();
                warm = nativeResidentBytes();
            }
        }
        System.gc();
        long growth = nativeResidentBytes() - warm;
        assertTrue(growth < 64L << 20, "resident memory outside the JVM's own pools grew by " + (growth >> 20)
                + " MB over 900 clips");
    }

    /**
     * The resident set less what the JVM has committed to its heap and its other pools (metaspace,
     * code cache): what is left is native memory, where a decoder leak would be. The heap alone
     * grew by tens of MB in one full-suite run on a loaded machine, failing a plain RSS bound.
     */
    private static long nativeResidentBytes() throws IOException {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        return residentBytes() - memory.getHeapMemoryUsage().getCommitted() - memory.getNonHeapMemoryUsage().getCommitted();
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
