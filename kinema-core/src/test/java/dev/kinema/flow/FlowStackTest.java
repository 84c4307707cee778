package dev.kinema.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shapes of flow stacks, steps, and the quantiser's round trip. */
class FlowStackTest {
    @TempDir
    Path tmp;

    /** A textured square moving right by 2 px per frame over a fixed noise background. */
    static Path movingTexture(Path file, int frames) {
        int w = 64;
        int h = 48;
        SplittableRandom rng = new SplittableRandom(7);
        byte[] background = new byte[h * w];
        byte[] texture = new byte[16 * 16];
        for (int i = 0; i < background.length; i++) {
            background[i] = (byte) (40 + rng.nextInt(40));
        }
        for (int i = 0; i < texture.length; i++) {
            texture[i] = (byte) (120 + rng.nextInt(130));
        }
        try (VideoWriter writer = VideoWriter.builder(file).setSize(w, h).optFps(10).build()) {
            for (int t = 0; t < frames; t++) {
                byte[] rgb = new byte[h * w * 3];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int tx = x - (8 + 2 * t);
                        int ty = y - 16;
                        byte v = tx >= 0 && tx < 16 && ty >= 0 && ty < 16 ? texture[ty * 16 + tx] : background[y * w + x];
                        rgb[(y * w + x) * 3] = v;
                        rgb[(y * w + x) * 3 + 1] = v;
                        rgb[(y * w + x) * 3 + 2] = v;
                    }
                }
                writer.writeFrame(rgb);
            }
        }
        return file;
    }

    @Test
    void aClipOfTFramesGivesAStackOf2TimesTMinus1Channels() throws IOException {
        Path video = movingTexture(tmp.resolve("v.mp4"), 9);
        FlowVideo flow = new ComputedFlow(FlowSettings.of(FlowMethod.DIS_MEDIUM, 48)).flowOf(video);
        assertEquals(8, flow.fields());
        assertEquals(48, flow.height());
        assertEquals(64, flow.width());
        int plane = 48 * 64;
        int length = 5;
        float[] stack = FlowVideos.stack(flow, 2, length);
        assertEquals(2 * length * plane, stack.length, "[2L]xHxW");
        float[] whole = FlowVideos.all(flow);
        assertEquals(2 * 8 * plane, whole.length, "[2(T-1)]xHxW for the whole 9-frame video");
        // Fields are computed on demand: the five computed alone equal the same fields of the whole video.
        assertArrayEquals(Arrays.copyOfRange(whole, 2 * 2 * plane, (2 + length) * 2 * plane), stack);
        // Channel 2l of the stack is dx of field first + l, channel 2l + 1 its dy.
        for (int l = 0; l < length; l++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(whole[((2 + l) * 2 + c) * plane + 20 * 64 + 30], stack[(l * 2 + c) * plane + 20 * 64 + 30]);
            }
        }
        // The square moves right by 2 px per frame: dx ≈ 2 inside it, dy ≈ 0.
        float dx = whole[(3 * 2) * plane + 24 * 64 + 8 + 2 * 3 + 8];
        float dy = whole[(3 * 2 + 1) * plane + 24 * 64 + 8 + 2 * 3 + 8];
        assertEquals(2.0, dx, 0.5);
        assertEquals(0.0, dy, 0.5);
        assertThrows(IndexOutOfBoundsException.class, () -> flow.copy(4, 5, new float[5 * 2 * plane], 0));
    }

    @Test
    void stepSkipsFrames() throws IOException {
        Path video = movingTexture(tmp.resolve("v.mp4"), 9);
        FlowVideo flow = new ComputedFlow(new FlowSettings(FlowMethod.DIS_MEDIUM, 48, 3)).flowOf(video);
        assertEquals(2, flow.fields(), "frames 0, 3, 6 (frame 8 has no partner at 9)");
        assertEquals(3, flow.step());
        float[] whole = FlowVideos.all(flow);
        int plane = 48 * 64;
        // Field 0 goes from frame 0 to 3: the square moves 6 px.
        float dx = whole[24 * 64 + 16];
        assertEquals(6.0, dx, 1.0);
        assertTrue(whole[plane + 24 * 64 + 16] < 1.0);
    }

    @Test
    void quantiserRoundTripErrorIsAtMostBoundOver255() {
        FlowQuantizer q = new FlowQuantizer(20);
        float worst = 0;
        for (float v = -20f; v <= 20f; v += 0.0137f) {
            worst = Math.max(worst, Math.abs(q.dequantize(q.quantize(v)) - v));
        }
        assertTrue(worst <= 20f / 255 + 1e-5f, "worst " + worst);
        assertTrue(worst > 20f / 255 * 0.9f, "the bound is tight: " + worst);
        assertEquals(20f, q.dequantize(q.quantize(57f)), 1e-6f);
        assertEquals(-20f, q.dequantize(q.quantize(-1e9f)), 1e-6f);
        assertEquals(0, q.quantize(-20f));
        assertEquals((byte) 255, q.quantize(20f));
    }

    @Test
    void undecodableVideoIsAnErrorNamingIt() throws IOException {
        Path bad = tmp.resolve("broken.mp4");
        java.nio.file.Files.write(bad, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p'});
        IOException e = assertThrows(IOException.class,
                () -> new ComputedFlow(FlowSettings.of(FlowMethod.TVL1, 32)).flowOf(bad));
        assertTrue(e.getMessage().contains("broken.mp4"), e.getMessage());
    }
}
