package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.KinemaMotion;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rendersOneVideoPerClassWithTheIndexFiles() throws Exception {
        Path out = tmp.resolve("km");
        int code = Kinema.execute("synth", "--out", out.toString(), "--videos-per-class", "1", "--size", "64",
                "--seconds", "1", "--workers", "2", "--seed", "3");
        assertEquals(0, code);
        List<Path> videos;
        try (Stream<Path> s = Files.walk(out)) {
            videos = s.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
        assertEquals(KinemaMotion.classes().size(), videos.size());
        for (Path v : videos) {
            assertTrue(Files.size(v) > 1000, v + " is " + Files.size(v) + " bytes");
            // One video per class goes to train, in a folder named after its class.
            assertEquals("train", out.relativize(v).getName(0).toString());
            assertTrue(v.getFileName().toString().startsWith(v.getParent().getFileName() + "_"));
        }
        assertEquals(KinemaMotion.labels(), Files.readAllLines(out.resolve("labels.txt")));
        List<String> csv = Files.readAllLines(out.resolve("kinetics.csv"));
        assertEquals(1 + videos.size(), csv.size());
        assertTrue(csv.contains("waving,waving_0000,0,1.000,train"), csv.toString());
        assertTrue(Files.readString(out.resolve("classes.json")).contains("\"pairedWith\" : \"walk_backward\""));
    }

    @Test
    void previewWritesAContactSheet() throws Exception {
        Path png = tmp.resolve("sheet.png");
        assertEquals(0, Kinema.execute("synth", "--preview", png.toString(), "--size", "32"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getHeight() >= KinemaMotion.classes().size() * 32, "one row per class: " + img.getHeight());
        assertTrue(img.getWidth() >= 6 * 32);
    }

    @Test
    void badArgumentsFailWithAUsageError() {
        assertEquals(2, Kinema.execute("synth", "--out", tmp.resolve("x").toString(), "--size", "63"));
        assertEquals(2, Kinema.execute("synth", "--out", tmp.resolve("y").toString(), "--seconds", "3:1"));
        assertEquals(2, Kinema.execute("synth", "--out", tmp.resolve("z").toString(), "--classes", "moonwalk"));
        assertEquals(2, Kinema.execute("synth"));
    }
}
