package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.SharedData;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file in ../shared/data, checked against its MANIFEST. */
class SharedDataDecodeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,            codec,      width, height, fps,    frames, audio
        "vtest.avi,         msmpeg4v3,  768,   576,    10.0,   795,    ",
        "Megamind.avi,      mpeg4,      720,   528,    23.976, 270,    ac3",
        "cup.mp4,           h264,       640,   480,    26.777, 217,    aac",
        "cityCC0.mpg,       mpeg2video, 720,   405,    25.0,   190,    ",
        "test-segment.ts,   h264,       388,   300,    15.0,   134,    aac",
        "sintel-captions.ts, h264,      400,   170,    24.0,   240,    aac",
    })
    void probeMatchesTheManifest(String name, String codec, int width, int height, double fps, long frames, String audio) {
        VideoInfo info = VideoProbe.probe(SharedData.file(name));
        assertAll(
                () -> assertEquals(codec, info.videoCodec()),
                () -> assertEquals(width, info.width()),
                () -> assertEquals(height, info.height()),
                () -> assertEquals(fps, info.fps(), 1e-3),
                () -> assertEquals(frames, info.frames()),
                () -> assertEquals(audio != null, info.hasAudio()),
                () -> assertEquals(audio, info.audioCodec()));
    }

    @Test
    void megamindAudioIsStereoAc3At48k() {
        VideoInfo info = VideoProbe.probe(SharedData.file("Megamind.avi"));
        assertEquals(48_000, info.audioSampleRate());
        assertEquals(2, info.audioChannels());
        assertEquals(270 / 23.976, info.durationSeconds(), 0.1);
    }

    @Test
    void cityMpegHasNoFrameCountSoKinemaCountsIt() {
        VideoInfo info = VideoProbe.probe(SharedData.file("cityCC0.mpg"));
        assertTrue(info.framesExact());
        assertEquals(7.6, info.durationSeconds(), 0.05);
        assertFalse(VideoProbe.probe(SharedData.file("cup.mp4")).framesExact());
    }

    @Test
    void boxCountsPresentedFramesNotTheSampleDroppedByItsEditList() {
        // The MANIFEST's 456 is the container's sample count; the last sample lies outside the edit
        // list, so 455 frames are presented, as FFmpeg and PyAV decode them.
        VideoInfo info = VideoProbe.probe(SharedData.file("box.mp4"));
        assertEquals(455, info.frames());
        assertEquals("mp3", info.audioCodec());
        assertEquals(1, info.audioChannels());
        assertEquals(29.97, info.fps(), 0.01);
    }

    @Test
    void boxDecodesInPresentationOrderAlthoughItsTimestampsAreDecodeTimes() {
        // box.mp4 has B-frames but pts == dts: frames must be taken in the decoder's output order.
        Path box = SharedData.file("box.mp4");
        try (VideoReader seq = VideoReader.open(box, ReaderOptions.builder().optSize(FrameSize.exact(32, 24)).build());
                VideoReader any = VideoReader.open(box, ReaderOptions.builder().optSize(FrameSize.exact(32, 24)).build())) {
            int[] all = IntStream.range(0, 40).toArray();
            VideoFrames sequential = seq.read(all);
            VideoFrames scattered = any.read(37, 2, 19);
            assertArrayEquals(sequential.frame(37), scattered.frame(0));
            assertArrayEquals(sequential.frame(2), scattered.frame(1));
            assertArrayEquals(sequential.frame(19), scattered.frame(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "cup.mp4", "cityCC0.mpg", "test-segment.ts", "sintel-captions.ts", "vtest.avi", "Megamind.avi", "tree.avi"})
    void seekingGivesTheSameFramesAsDecodingFromTheStart(String name) {
        // Each container seeks differently (MP4 by presentation time, MPEG-PS and TS by searching the
        // file); whatever the strategy, the pixels must be identical.
        Path file = SharedData.file(name);
        ReaderOptions.Builder options = ReaderOptions.builder().optSize(FrameSize.exact(48, 32));
        try (VideoReader sequential = VideoReader.open(file, options.optStrategy(ReaderOptions.Strategy.SEQUENTIAL).build());
                VideoReader seeking = VideoReader.open(file, options.optStrategy(ReaderOptions.Strategy.SEEK).build());
                VideoReader auto = VideoReader.open(file, options.optStrategy(ReaderOptions.Strategy.AUTO).build())) {
            int n = sequential.frameCount();
            int[] wanted = {n - 1, n / 2, 1, n / 3, n - 2, 0};
            VideoFrames expected = sequential.read(wanted);
            VideoFrames bySeeking = seeking.read(wanted);
            VideoFrames byAuto = auto.read(wanted);
            for (int k = 0; k < wanted.length; k++) {
                assertArrayEquals(expected.frame(k), bySeeking.frame(k), name + " frame " + wanted[k] + " (SEEK)");
                assertArrayEquals(expected.frame(k), byAuto.frame(k), name + " frame " + wanted[k] + " (AUTO)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"video_0.mov, 0, 568, 320", "video_90.mov, 90, 320, 568",
                "video_180.mov, 180, 568, 320", "video_270.mov, 270, 320, 568"})
    void rotationIsReportedAndApplied(String name, int rotation, int width, int height) {
        Path file = SharedData.file(name);
        VideoInfo info = VideoProbe.probe(file);
        assertEquals(rotation, info.rotation());
        assertEquals(width, info.width());
        assertEquals(height, info.height());
        assertEquals(3, info.frames());
        try (VideoReader reader = VideoReader.open(file)) {
            VideoFrames frames = reader.read(0, 1, 2);
            assertEquals(width, frames.width());
            assertEquals(height, frames.height());
        }
    }

    @Test
    void unorderedTimestampsComeBackInPresentationOrder() {
        try (VideoReader reader = VideoReader.open(SharedData.file("unordered.mov"))) {
            assertEquals(4, reader.frameCount());
            VideoFrames frames = reader.read(0, 1, 2, 3);
            assertArrayEquals(new double[] {0, 0.03125, 0.0625, 0.09375}, frames.timestamps(), 1e-9);
            VideoFrames reversed = reader.read(3, 2, 1, 0);
            assertArrayEquals(frames.frame(3), reversed.frame(0));
            assertArrayEquals(frames.frame(0), reversed.frame(3));
        }
    }

    @Test
    void treeAviWithDroppedFramesIsNotMistakenForTruncated() {
        // Its AVI header counts 444 time slots at 15 fps; only 68 pictures are stored, spread over them.
        VideoInfo info = VideoProbe.probe(SharedData.file("tree.avi"));
        assertEquals("cinepak", info.videoCodec());
        assertEquals(320, info.width());
        assertEquals(240, info.height());
        assertEquals(68, info.frames());
        assertEquals(info.durationSeconds(), info.frames() / info.fps(), 1e-6);
        try (VideoReader reader = VideoReader.open(SharedData.file("tree.avi"))) {
            VideoFrames last = reader.read(67);
            assertTrue(last.timestamp(0) > 29.0, "last picture at " + last.timestamp(0) + " s");
        }
    }

    @Test
    void corruptedFileEndsInAClearErrorNotWrongFrames() {
        Path file = SharedData.file("corrupted.mp4");
        try (VideoReader reader = VideoReader.open(file)) {
            int[] first40 = IntStream.range(0, 40).toArray();
            VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> reader.read(first40));
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("damaged") || e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void audioOnlyFilesHaveNoVideoStream() {
        Path file = SharedData.file("lena.wav");
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> VideoProbe.probe(file));
        assertTrue(e.getMessage().contains("no video stream"), e.getMessage());
    }

    @Test
    void audioDecodesToTheSampleCountInTheManifest() {
        AudioTrack wav = AudioReader.read(SharedData.file("lena.wav"), 44_100, false);
        assertEquals(1, wav.channels());
        assertEquals(541_184, wav.length());
        AudioTrack mp3 = AudioReader.read(SharedData.file("lena.mp3"), 16_000, true);
        assertEquals(12.27, mp3.durationSeconds(), 0.05);
        // Same recording: at 16 kHz the two decodes carry the same energy.
        AudioTrack wav16 = AudioReader.read(SharedData.file("lena.wav"), 16_000, true);
        assertEquals(rms(wav16.samples()[0]), rms(mp3.samples()[0]), 0.01);
    }

    @Test
    void audioKeepsChannelsOrMixesToMono() {
        AudioTrack stereo = AudioReader.read(SharedData.file("cup.mp4"), 16_000, false);
        assertEquals(2, stereo.channels());
        assertEquals(217 / 26.777, stereo.durationSeconds(), 0.1);
        AudioTrack mono = AudioReader.read(SharedData.file("cup.mp4"), 16_000, true);
        assertEquals(1, mono.channels());
        int i = mono.length() / 2;
        assertEquals((stereo.samples()[0][i] + stereo.samples()[1][i]) / 2, mono.samples()[0][i], 1e-6);
        assertThrows(VideoDecodeException.class, () -> AudioReader.read(SharedData.file("vtest.avi"), 16_000, true));
    }

    @Test
    void videoWithoutAudioSaysSo() {
        VideoInfo info = VideoProbe.probe(SharedData.file("vtest.avi"));
        assertFalse(info.hasAudio());
        assertNull(info.audioCodec());
    }

    private static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }
}
