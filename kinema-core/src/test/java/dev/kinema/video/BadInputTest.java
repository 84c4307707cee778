package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.IndexCodedVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad file gets a VideoDecodeException that names the file and says why; nothing crashes. */
class BadInputTest {
    @TempDir
    Path dir;

    private VideoDecodeException probeFails(Path file) {
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> VideoProbe.probe(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e;
    }

    @Test
    void missingFile() {
        assertEquals("no such file", probeFails(dir.resolve("nope.mp4")).reason());
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertTrue(probeFails(empty).reason().contains("empty"));
    }

    @Test
    void directoryIsNotAVideo() {
        assertTrue(probeFails(dir).reason().contains("not a regular file"));
    }

    @Test
    void textFileIsNotAVideo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "these are not the frames you are looking for\n".repeat(50));
        assertTrue(probeFails(text).reason().contains("not a media file"), probeFails(text).reason());
    }

    @Test
    void randomBytesAreNotAVideo() throws IOException {
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(1).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.avi"), noise);
        probeFails(file);
    }

    @Test
    void truncatedAviIsReportedNotPassedOffAsWhole() throws IOException {
        Path whole = dir.resolve("whole.avi");
        IndexCodedVideo.write(VideoWriter.builder(whole).setSize(96, 64).optFps(25).optVideoCodec("mpeg4"), 100);
        assertEquals(100, VideoProbe.probe(whole).frames());
        byte[] bytes = Files.readAllBytes(whole);
        // Keep the header (which declares 100 frames) and the first ~40% of the frames.
        Path cut = Files.write(dir.resolve("cut.avi"), Arrays.copyOf(bytes, (int) (bytes.length * 0.4)));
        String reason = probeFails(cut).reason();
        assertTrue(reason.contains("truncated") && reason.contains("100"), reason);
    }

    @Test
    void truncatedMp4IsReported() throws IOException {
        Path whole = dir.resolve("whole.mp4");
        IndexCodedVideo.write(whole, 50, 96, 64, 25);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        probeFails(cut);
    }

    @Test
    void damagedFramesInTheMiddleAreNotSilentlyReturned() throws IOException {
        Path whole = dir.resolve("whole.mkv");
        IndexCodedVideo.write(VideoWriter.builder(whole).setSize(96, 64).optFps(25).optGopSize(100), 60);
        byte[] bytes = Files.readAllBytes(whole);
        // Overwrite a stretch in the middle of the stream with garbage.
        for (int i = bytes.length / 2; i < bytes.length / 2 + 400; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path damaged = Files.write(dir.resolve("damaged.mkv"), bytes);
        // Matroska declares no frame count, but it declares a duration the frames no longer reach.
        String reason = probeFails(damaged).reason();
        assertTrue(reason.contains("truncated or damaged"), reason);
    }
}
