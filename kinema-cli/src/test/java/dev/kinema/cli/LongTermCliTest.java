package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.TrainingVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --non-local}, order classes in {@code synth}, and the feature-cache recipe: {@code features}, {@code train --features}. */
class LongTermCliTest {
    @TempDir
    Path tmp;

    @Test
    void nonLocalBlocksShowInTheLayerTable() {
        CliRun r = CliRun.of("models", "r3d_18", "--input", "3x4x32x32", "--non-local", "layer2,layer3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("layer2.nonlocal  NonLocal(128, inner 64, keys pooled)"), r.out());
        assertTrue(r.out().contains("layer3.nonlocal"), r.out());

        CliRun bad = CliRun.of("models", "r3d_18", "--non-local", "layer9");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("r3d_18 has no stage 'layer9' to put a non-local block after"), bad.err());
    }

    @Test
    void synthRendersOrderClassesByName() throws Exception {
        Path out = tmp.resolve("order");
        CliRun r = CliRun.of("synth", "--out", out.toString(), "--classes", "clap_then_approach,approach_then_clap",
                "--videos-per-class", "1", "--size", "32", "--fps", "4", "--seconds", "2", "--workers", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("approach_then_clap", "clap_then_approach"), Files.readAllLines(out.resolve("labels.txt")));
        assertTrue(Files.readString(out.resolve("classes.json")).contains("\"kind\" : \"order\""));
    }

    @Test
    void featuresAreCachedOnceAndTheHeadTrainsOnThem() throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 7, 2, 1, 1);
        Path feats = tmp.resolve("feats");
        CliRun cache = CliRun.of("features", "--model", "single-frame", "--frames", "4", "--size", "32", "--data",
                data.toString(), "--out", feats.toString(), "--workers", "1");
        assertEquals(0, cache.exitCode(), cache.err());
        assertTrue(cache.out().contains("wrote 8 videos' features (128 x 4 each)"), cache.out());

        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--features", feats.toString(), "--model", "lrcn", "--epochs", "2", "--out",
                run.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch 2: train loss"), train.out());
        assertTrue(train.out().contains("test top-1"), train.out());
        assertTrue(Files.exists(run.resolve("head.params")));

        CliRun both = CliRun.of("train", "--features", feats.toString(), "--model", "lrcn", "--data", data.toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--features FEATS takes --model NAME"), both.err());
    }
}
