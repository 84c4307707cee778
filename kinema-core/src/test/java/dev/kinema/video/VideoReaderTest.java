package dev.kinema.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.synth.IndexCodedVideo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reads Kinema-generated videos whose frames show their own index, so every returned frame can be checked. */
class VideoReaderTest {
    private static final int FRAMES = 96;
    private static final int GOP = 12;
    private static final double FPS = 24;

    @TempDir
    static Path dir;

    static Path video;

    @BeforeAll
    static void writeVideo() {
        video = dir.resolve("indexed.mp4");
        IndexCodedVideo.write(VideoWriter.builder(video).setSize(160, 120).optFps(FPS).optGopSize(GOP), FRAMES);
    }

    private static VideoReader open(ReaderOptions.Strategy strategy) {
        return VideoReader.open(video, ReaderOptions.builder()
                .optSize(FrameSize.exact(64, 48)).optStrategy(strategy).build());
    }

    @ParameterizedTest
    @EnumSource(ReaderOptions.Strategy.class)
    void returnsExactlyTheRequestedFramesInTheRequestedOrder(ReaderOptions.Strategy strategy) {
        Random rng = new Random(7);
        try (VideoReader reader = open(strategy)) {
            assertEquals(FRAMES, reader.frameCount());
            for (int trial = 0; trial < 12; trial++) {
                int[] wanted = rng.ints(1 + rng.nextInt(10), 0, FRAMES).toArray();
                VideoFrames clip = reader.read(wanted);
                assertArrayEquals(wanted, IndexCodedVideo.decodeAll(clip), "trial " + trial);
                assertArrayEquals(wanted, clip.sourceIndices());
            }
        }
    }

    @Test
    void framesCarryTheirTimestamps() {
        try (VideoReader reader = open(ReaderOptions.Strategy.AUTO)) {
            VideoFrames clip = reader.read(0, 24, 95);
            assertEquals(0.0, clip.timestamp(0), 1e-9);
            assertEquals(1.0, clip.timestamp(1), 1e-6);
            assertEquals(95 / FPS, clip.timestamp(2), 1e-6);
        }
    }

    @Test
    void seeksPastGroupsOfPicturesWithNothingRequested() {
        try (VideoReader reader = open(ReaderOptions.Strategy.AUTO)) {
            reader.read(FRAMES - 2);
            // Only the last group of pictures needs decoding, not the 84 frames before it.
            assertTrue(reader.stats().packetsRead() <= GOP + 2, reader.stats().toString());
            assertEquals(1, reader.stats().seeks());
        }
    }

    @Test
    void sequentialStrategyNeverSeeksForward() {
        try (VideoReader reader = open(ReaderOptions.Strategy.SEQUENTIAL)) {
            reader.read(FRAMES - 2);
            assertTrue(reader.stats().packetsRead() >= FRAMES - 2, reader.stats().toString());
            assertEquals(0, reader.stats().seeks());
        }
    }

    @Test
    void convertsOnlyTheRequestedFrames() {
        try (VideoReader reader = open(ReaderOptions.Strategy.AUTO)) {
            reader.read(3, 40, 40, 41);
            assertEquals(3, reader.stats().framesConverted());
            assertTrue(reader.stats().packetsSkippable() > 0, reader.stats().toString());
        }
    }

    @Test
    void resizesInTheScalerToTheRequestedSize() {
        try (VideoReader reader = VideoReader.open(video,
                ReaderOptions.builder().optSize(FrameSize.shortSide(60)).build())) {
            VideoFrames clip = reader.read(5);
            assertEquals(60, clip.height());
            assertEquals(80, clip.width());
            assertEquals(5, IndexCodedVideo.decode(clip, 0));
        }
        try (VideoReader reader = VideoReader.open(video)) {
            assertEquals(160, reader.read(0).width());
        }
    }

    @Test
    void tensorsAreTimeChannelHeightWidth() {
        try (VideoReader reader = open(ReaderOptions.Strategy.AUTO); NDManager manager = NDManager.newBaseManager()) {
            NDArray floats = reader.readTensor(manager, DataType.FLOAT32, 1, 2, 3);
            assertEquals(new Shape(3, 3, 48, 64), floats.getShape());
            assertTrue(floats.max().getFloat() <= 1f && floats.min().getFloat() >= 0f);
            NDArray bytes = reader.readTensor(manager, DataType.UINT8, 1, 2, 3);
            assertEquals(DataType.UINT8, bytes.getDataType());
            VideoFrames clip = reader.read(1, 2, 3);
            // Channel 1 of frame 2 at (y=10, x=20) in both forms.
            assertEquals(clip.get(2, 10, 20, 1), bytes.getUint8(2, 1, 10, 20) & 0xff);
            assertEquals(clip.get(2, 10, 20, 1) / 255f, floats.getFloat(2, 1, 10, 20), 1e-6);
            // Exactly the values of the data pipeline's conversion without normalisation.
            assertArrayEquals(new ToTensor(Normalization.NONE, Layout.TCHW).toFloats(clip), floats.toFloatArray());
        }
    }

    @Test
    void rejectsIndicesOutsideTheVideo() {
        try (VideoReader reader = open(ReaderOptions.Strategy.AUTO)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> reader.read(FRAMES));
            assertTrue(e.getMessage().contains("has " + FRAMES + " frames"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> reader.read(-1));
        }
    }

    @Test
    void readsAreTimeBounded() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> VideoReader.open(video,
                ReaderOptions.builder().optTimeout(Duration.ofNanos(1)).build()).close());
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        assertEquals(video, e.file());
    }

    @Test
    void pixelRotationTurnsClockwise() {
        // 3 wide, 2 high; pixel value = 10*y + x in every channel.
        byte[] rgb = new byte[3 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * 3 + x) * 3 + c] = (byte) (10 * y + x);
                }
            }
        }
        byte[] cw = PixelRotation.rotate(rgb, 3, 2, 90);
        // Clockwise: the bottom-left pixel (y=1, x=0) becomes the top-left of a 2-wide, 3-high picture.
        assertEquals(10, cw[0]);
        assertEquals(0, cw[3]);
        assertEquals(12, cw[(2 * 2) * 3]);
        // Four quarter turns in all come back to the start.
        byte[] full = PixelRotation.rotate(PixelRotation.rotate(cw, 2, 3, 180), 2, 3, 90);
        assertArrayEquals(rgb, full);
        assertArrayEquals(PixelRotation.rotate(rgb, 3, 2, 270), PixelRotation.rotate(cw, 2, 3, 180));
    }
}
