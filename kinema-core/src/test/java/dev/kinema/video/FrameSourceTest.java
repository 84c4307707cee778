package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.TrainingVideos;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourceTest {
    @TempDir
    Path dir;

    private Path video() {
        Path file = dir.resolve("square.mp4");
        TrainingVideos.movingSquare(file, true, new SplittableRandom(3));
        return file;
    }

    private static List<SourceFrame> all(FrameSource source) {
        List<SourceFrame> frames = new ArrayList<>();
        for (Optional<SourceFrame> f = source.next(); f.isPresent(); f = source.next()) {
            frames.add(f.get());
        }
        return frames;
    }

    @Test
    void aPipeGivesTheFramesOfTheFileInOrder() throws IOException {
        Path file = video();
        List<SourceFrame> fromFile;
        try (FileFrameSource source = FrameSource.file(file, ReaderOptions.defaults())) {
            fromFile = all(source);
            assertEquals(TrainingVideos.FPS, source.fps(), 1e-9);
            source.seek(5);
            assertEquals(5, source.next().orElseThrow().index());
        }
        List<SourceFrame> fromPipe;
        // A plain InputStream: FFmpeg can only read it forward, as it would standard input.
        try (LiveFrameSource source = LiveFrameSource.open(new FileInputStream(file.toFile()), "pipe",
                LiveOptions.builder().optBuffer(4).build())) {
            fromPipe = all(source);
            assertEquals(TrainingVideos.FPS, source.fps(), 1e-9);
            assertEquals(0, source.dropped());
        }
        assertEquals(TrainingVideos.FRAMES, fromFile.size());
        assertEquals(fromFile.size(), fromPipe.size());
        for (int t = 0; t < fromFile.size(); t++) {
            SourceFrame a = fromFile.get(t);
            SourceFrame b = fromPipe.get(t);
            assertEquals(t, b.index());
            assertEquals(a.height(), b.height());
            assertEquals(a.width(), b.width());
            double diff = 0;
            for (int i = 0; i < a.rgb().length; i++) {
                diff += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
            }
            // Same decoder; the two YUV-to-RGB conversions may round differently.
            assertTrue(diff / a.rgb().length < 2.0, "frame " + t + ": mean |file - pipe| = " + diff / a.rgb().length);
        }
    }

    @Test
    void aLiveInputIsScaledToTheAskedSize() throws IOException {
        try (LiveFrameSource source = LiveFrameSource.open(new FileInputStream(video().toFile()), "pipe",
                LiveOptions.builder().optSize(FrameSize.exact(20, 10)).build())) {
            SourceFrame f = source.next().orElseThrow();
            assertEquals(10, f.height());
            assertEquals(20, f.width());
        }
    }

    @Test
    void aSlowConsumerOfALiveInputGetsTheNewestFramesAndTheRestAreCounted() throws Exception {
        try (LiveFrameSource source = LiveFrameSource.open(new FileInputStream(video().toFile()), "camera",
                LiveOptions.builder().optBuffer(2).optOverflow(LiveOptions.Overflow.DROP_OLDEST).build())) {
            Thread.sleep(1500);   // the whole clip decodes meanwhile; only the buffer's worth is kept
            List<SourceFrame> got = all(source);
            assertTrue(got.size() <= 2, "kept " + got.size() + " frames in a buffer of 2");
            assertEquals(TrainingVideos.FRAMES, got.size() + source.dropped());
            assertEquals(TrainingVideos.FRAMES - 1, got.get(got.size() - 1).index(), "the newest frame is kept");
        }
    }

    @Test
    void aStalledPipeIsAnErrorWithinTheTimeoutNotAHang() throws IOException {
        PipedOutputStream writer = new PipedOutputStream();
        InputStream silent = new PipedInputStream(writer);
        long start = System.nanoTime();
        try (LiveFrameSource source = LiveFrameSource.open(silent, "stdin",
                LiveOptions.builder().optTimeout(Duration.ofSeconds(1)).build())) {
            VideoDecodeException e = assertThrows(VideoDecodeException.class, source::next);
            assertEquals("stdin: no frame in 1.0 s (LiveOptions.optTimeout); the input stalled", e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "took " + seconds + " s to give up and close");
        writer.close();
    }

    @Test
    void garbageIsOneClearErrorNamingTheInput() {
        byte[] noise = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(noise);
        try (LiveFrameSource source = LiveFrameSource.open(new ByteArrayInputStream(noise), "upload.bin",
                LiveOptions.builder().optTimeout(Duration.ofSeconds(20)).build())) {
            VideoDecodeException e = assertThrows(VideoDecodeException.class, source::next);
            assertTrue(e.getMessage().startsWith("upload.bin: cannot decode the input ("), e.getMessage());
            assertEquals(null, e.file());
        }
    }
}
