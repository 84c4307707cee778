package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDatasetWriterTest {
    @TempDir
    Path tmp;

    private SynthDatasetWriter.Builder small(Path out) {
        return SynthDatasetWriter.builder().setOutput(out).optVideosPerClass(3).optSize(64, 48).optFps(25)
                .optSeconds(1, 1.2).optClasses(List.of(KinemaMotion.get("clapping"), KinemaMotion.get("slide_left")));
    }

    @Test
    void writesVideosInSplitFoldersWithTheIndexFiles() throws Exception {
        Path out = tmp.resolve("km");
        AtomicInteger calls = new AtomicInteger();
        SynthDatasetWriter.Summary summary = small(out).optAudio(true).optWorkers(2).build()
                .write(done -> calls.incrementAndGet());
        assertEquals(6, summary.videos().size());
        assertEquals(6, calls.get());
        assertTrue(summary.bytes() > 6 * 1000, "bytes: " + summary.bytes());

        // Label order, not request order; each class split 1/1/1.
        assertEquals(List.of("slide_left", "clapping"), Files.readAllLines(out.resolve("labels.txt")));
        for (String c : List.of("slide_left", "clapping")) {
            assertTrue(Files.size(out.resolve("train/" + c + "/" + c + "_0000.mp4")) > 1000);
            assertTrue(Files.size(out.resolve("val/" + c + "/" + c + "_0001.mp4")) > 1000);
            assertTrue(Files.size(out.resolve("test/" + c + "/" + c + "_0002.mp4")) > 1000);
        }

        List<String> csv = Files.readAllLines(out.resolve("kinetics.csv"));
        assertEquals("label,youtube_id,time_start,time_end,split", csv.get(0));
        assertEquals(7, csv.size());
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            assertEquals(5, f.length, line);
            assertTrue(f[1].startsWith(f[0] + "_"), line);
            assertEquals("0", f[2]);
            double end = Double.parseDouble(f[3]);
            assertTrue(end >= 1 && end <= 1.2 + 1e-9, line);
            assertTrue(Files.exists(out.resolve(f[4]).resolve(f[0]).resolve(f[1] + ".mp4")), line);
        }

        JsonNode classes = new ObjectMapper().readTree(out.resolve("classes.json").toFile());
        assertEquals(2, classes.size());
        assertEquals("slide_left", classes.get(0).get("name").asText());
        assertEquals(0, classes.get(0).get("index").asInt());
        assertEquals("motion", classes.get(0).get("kind").asText());
        assertEquals("slide_right", classes.get(0).get("pairedWith").asText());
        assertEquals("appearance", classes.get(1).get("kind").asText());
        assertTrue(classes.get(1).get("pairedWith").isNull());
        assertTrue(classes.get(1).get("description").asText().length() > 10);

        // The files are real H.264 with the planned frame count and a mono audio track.
        SynthDatasetWriter.Video v = summary.videos().get(3);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(v.file().toFile())) {
            g.start();
            assertEquals("h264", g.getVideoCodecName());
            assertEquals(64, g.getImageWidth());
            assertEquals(48, g.getImageHeight());
            assertEquals(1, g.getAudioChannels());
            int frames = 0;
            while (g.grabImage() != null) {
                frames++;
            }
            assertEquals(v.spec().frames(), frames);
            g.stop();
        }
    }

    @Test
    void outputDoesNotDependOnTheNumberOfWorkers() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        List<SynthDatasetWriter.Video> a = small(one).optSeed(5).optWorkers(1).build().write(d -> {}).videos();
        List<SynthDatasetWriter.Video> b = small(two).optSeed(5).optWorkers(2).build().write(d -> {}).videos();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(one.relativize(a.get(i).file()), two.relativize(b.get(i).file()));
            assertArrayEquals(Files.readAllBytes(a.get(i).file()), Files.readAllBytes(b.get(i).file()),
                    a.get(i).file().getFileName().toString());
        }
        assertArrayEquals(Files.readAllBytes(one.resolve("kinetics.csv")), Files.readAllBytes(two.resolve("kinetics.csv")));
    }

    @Test
    void refusesANonEmptyDirectoryUnlessOverwriting() throws Exception {
        Path out = tmp.resolve("again");
        small(out).optClasses(List.of(KinemaMotion.get("pendulum"))).optVideosPerClass(2).build().write(d -> {});
        Path stale = out.resolve("train/pendulum/pendulum_0000.mp4");
        assertTrue(Files.exists(stale));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small(out).build().write(d -> {}));
        assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
        small(out).optClasses(List.of(KinemaMotion.get("waving"))).optVideosPerClass(1).optOverwrite(true).build().write(d -> {});
        assertTrue(Files.notExists(stale), "a previous run's videos are removed");
        assertEquals(List.of("waving"), Files.readAllLines(out.resolve("labels.txt")));
    }
}
