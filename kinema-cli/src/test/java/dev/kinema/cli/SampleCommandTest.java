package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exit code, stdout and stderr of one CLI run. */
    private record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Kinema.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asInt()));
        return l;
    }

    @Test
    void uniformClipsAsJson() throws Exception {
        // MMAction2 SampleFrames test mode: N=100, clip 8, interval 2, 3 clips -> offsets round([0, 42.5, 85]) = 0, 42, 85
        Run r = run("sample", "--total-frames", "100", "--fps", "25", "--clip-len", "8", "--stride", "2",
                "--clips", "3", "--mode", "uniform");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("uniform", j.get("mode").asText());
        assertTrue(j.get("test_mode").asBoolean());
        assertTrue(j.get("follows").asText().contains("MMAction2"));
        assertEquals(100, j.at("/video/total_frames").asInt());
        assertEquals(4.0, j.at("/video/duration_seconds").asDouble(), 1e-12);
        assertEquals(8, j.at("/params/clip_len").asInt());
        assertEquals(2, j.at("/params/frame_stride").asInt());
        assertEquals(3, j.at("/params/clips").asInt());
        assertEquals(3, j.get("num_clips").asInt());
        JsonNode clips = j.get("clips");
        assertEquals(3, clips.size());
        assertEquals(List.of(42, 44, 46, 48, 50, 52, 54, 56), ints(clips.get(1).get("frame_indices")));
        assertEquals(1, clips.get(1).get("index").asInt());
        assertEquals(1.68, clips.get(1).get("start_seconds").asDouble(), 1e-12);
        assertEquals(2.28, clips.get(1).get("end_seconds").asDouble(), 1e-12);
        assertEquals(List.of(85, 87, 89, 91, 93, 95, 97, 99), ints(clips.get(2).get("frame_indices")));
    }

    @Test
    void randomModeIsReproduciblePerSeed() throws Exception {
        String[] a = {"sample", "--total-frames", "300", "--clip-len", "16", "--stride", "4", "--mode", "random", "--seed", "7"};
        Run first = run(a);
        Run again = run(a);
        assertEquals(0, first.code(), first.err());
        assertEquals(first.out(), again.out());
        JsonNode j = first.json();
        assertFalse(j.get("test_mode").asBoolean());
        assertEquals(7, j.at("/params/seed").asLong());
        List<Integer> f = ints(j.at("/clips/0/frame_indices"));
        assertEquals(16, f.size());
        for (int i = 1; i < 16; i++) {
            assertEquals(f.get(0) + 4 * i, f.get(i));
        }
        assertTrue(f.get(15) < 300);
        Run other = run("sample", "--total-frames", "300", "--clip-len", "16", "--stride", "4", "--mode", "random", "--seed", "8");
        assertNotEquals(first.out(), other.out());
    }

    @Test
    void tsnTestModeWithTwiceSample() throws Exception {
        // centres int(i*12.5 + 6.25), then starts int(i*12.5)
        Run r = run("sample", "--total-frames", "100", "--clip-len", "1", "--clips", "8", "--mode", "tsn", "--test", "--twice-sample");
        assertEquals(0, r.code(), r.err());
        JsonNode clips = r.json().get("clips");
        List<Integer> firsts = new ArrayList<>();
        clips.forEach(c -> firsts.add(c.get("frame_indices").get(0).asInt()));
        assertEquals(List.of(6, 18, 31, 43, 56, 68, 81, 93, 0, 12, 25, 37, 50, 62, 75, 87), firsts);
        assertTrue(r.json().at("/params/twice_sample").asBoolean());
    }

    @Test
    void uniformTestModeWithTwiceSampleAcceptsLongClipsAsMMAction2Does() throws Exception {
        // MMAction2's SampleFrames test: 40 frames, clip_len 12, num_clips 2, twice_sample -> 48 indices.
        Run r = run("sample", "--total-frames", "40", "--clip-len", "12", "--clips", "2", "--mode", "uniform", "--test",
                "--twice-sample");
        assertEquals(0, r.code(), r.err());
        List<Integer> indices = new ArrayList<>();
        r.json().get("clips").forEach(c -> c.get("frame_indices").forEach(i -> indices.add(i.asInt())));
        assertEquals(48, indices.size());
        assertTrue(indices.stream().allMatch(i -> i >= 0 && i < 40), indices.toString());
    }

    @Test
    void slidingWithBackpad() throws Exception {
        // 315 frames at 30 fps = 10.5 s, 2 s windows every 1 s: 9 whole windows + the back-padded [8.5, 10.5)
        Run r = run("sample", "--total-frames", "315", "--fps", "30", "--clip-len", "4", "--mode", "sliding",
                "--window-seconds", "2", "--stride-seconds", "1", "--backpad");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(10, j.get("num_clips").asInt());
        assertEquals(2.0, j.at("/params/window_seconds").asDouble(), 1e-12);
        assertTrue(j.at("/params/backpad").asBoolean());
        assertEquals(List.of(255, 274, 294, 314), ints(j.at("/clips/9/frame_indices")));
        assertEquals(8.5, j.at("/clips/9/start_seconds").asDouble(), 1e-9);
        Run noPad = run("sample", "--total-frames", "315", "--clip-len", "4", "--mode", "sliding",
                "--window-seconds", "2", "--stride-seconds", "1");
        assertEquals(9, noPad.json().get("num_clips").asInt());
    }

    @Test
    void targetFpsDerivesStride() throws Exception {
        Run r = run("sample", "--total-frames", "300", "--fps", "30", "--target-fps", "5", "--clip-len", "4",
                "--mode", "uniform");
        assertEquals(0, r.code(), r.err());
        assertEquals(6, r.json().at("/params/frame_stride").asInt());
        assertEquals(5.0, r.json().at("/params/target_fps").asDouble(), 0);
        assertEquals(List.of(140, 146, 152, 158), ints(r.json().at("/clips/0/frame_indices")));
    }

    @Test
    void everyModeRuns() throws Exception {
        for (String mode : List.of("random", "uniform", "tsn", "dense", "sliding", "constant", "random-window")) {
            for (boolean test : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("sample", "--total-frames", "120", "--clips", "2", "--mode", mode));
                if (test) {
                    args.add("--test");
                }
                Run r = run(args.toArray(String[]::new));
                assertEquals(0, r.code(), mode + ": " + r.err());
                JsonNode clips = r.json().get("clips");
                assertTrue(clips.size() >= 1, mode);
                clips.forEach(c -> c.get("frame_indices").forEach(i -> assertTrue(i.asInt() >= 0 && i.asInt() < 120, mode)));
            }
        }
    }

    @Test
    void invalidArgumentsExitNonZeroWithClearMessage() {
        Run r = run("sample", "--total-frames", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--total-frames must be >= 1 (got 0)"), r.err());
        assertEquals("", r.out());

        r = run("sample", "--total-frames", "100", "--clip-len", "-1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--clip-len must be >= 1 (got -1)"), r.err());

        r = run("sample", "--total-frames", "100", "--mode", "bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown sampling mode 'bogus'; expected one of random, uniform, tsn"), r.err());

        r = run("sample", "--total-frames", "100", "--stride", "2", "--target-fps", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not both"), r.err());

        r = run("sample", "--total-frames", "100", "--mode", "sliding", "--window-seconds", "1", "--stride-seconds", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must not exceed"), r.err());

        r = run("sample", "--total-frames", "100", "--mode", "dense", "--test", "--twice-sample");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("twice-sample applies only to test mode of random, uniform or tsn"), r.err());

        r = run("sample", "--clip-len", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--total-frames=N'"), r.err());

        r = run("sample", "--total-frames", "ten");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--total-frames"), r.err());
    }
}
