package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.SoundingObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Most of the heat lies on the sounding disc: a small correspondence run, trained once on
 * {@code kinema synth --sounding-and-silent} videos (seed 0) and committed, localises the sound in
 * videos of another seed, which it has never seen. The run was made with (docs/results.md,
 * "Audio-visual synchronisation and sound localisation"):
 *
 * <pre>
 * ./kinema synth --sounding-and-silent --out sos --videos-per-class 12 --size 32 --fps 25 --seconds 4 --seed 0
 * ./kinema train --data sos --model av-correspondence --task av-correspondence --out corr --frames 4 --stride 4 \
 *     --size 32 --resize 32 --epochs 100 --batch 8 --lr 1e-3 --optimizer adamw --weight-decay 0 --warmup-epochs 0 --seed 0
 * </pre>
 *
 * Its config.json is the test's resource; labels.txt, card.json and the checkpoint come from an
 * import of its weights alone (no optimiser state: 0.7 MB instead of 2.2 MB), made by exporting the
 * run's model with
 * {@code ModelWeights.save(model, corr.safetensors, DType.F32)} and
 * {@code ./kinema import --model av-correspondence --weights corr.safetensors --classes 1 --out imported}.
 */
class AvLocalizeLearnedRunTest {
    private static final String RUN = "/dev/kinema/recipes/av-correspondence-run/";

    @Test
    void mostOfTheHeatLiesOnTheSoundingDisc(@TempDir Path tmp) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String file : List.of("config.json", "labels.txt", "card.json", "checkpoint.ckpt")) {
            try (InputStream in = getClass().getResourceAsStream(RUN + file)) {
                Files.copy(in, run.resolve(file));
            }
        }
        Path data = tmp.resolve("unseen");
        List<Path> videos = SoundingObjects.write(new SoundingObjects.Options(data, 1, 11, 32, 25, 4));
        int frames = 0;
        int hits = 0;
        double chance = 0;
        for (Path video : videos) {
            AvLocalize.Result r = AvLocalize.builder().setRun(run).setVideo(video).optClips(2).build().run();
            AvLocalize.Hits h = AvLocalize.hits(r.peaks(), SoundingObjects.readBoxes(SoundingObjects.boxesOf(data, video)),
                    r.width(), r.height());
            frames += h.frames();
            hits += h.hits();
            chance += h.chance() * h.frames();
        }
        double rate = (double) hits / frames;
        chance /= frames;
        String what = String.format(Locale.ROOT, "hit rate %.3f on %d frames of %d unseen videos, chance %.3f", rate,
                frames, videos.size(), chance);
        assertTrue(frames >= 8 * videos.size(), what);
        assertTrue(rate > 0.5, what);
        assertTrue(rate > 3 * chance, what);
    }
}
