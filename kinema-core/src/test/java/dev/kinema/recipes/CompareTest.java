package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.TrainingListener;
import dev.kinema.tasks.Validation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Compare} without the CLI: a model trained with the recipe, evaluated and tabulated from its card. */
class CompareTest {
    @TempDir
    Path tmp;

    @Test
    void trainsEvaluatesAndTabulatesEachModel() throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 7, 3, 1, 2);
        Path out = tmp.resolve("compare");
        List<String> events = new ArrayList<>();
        Compare compare = Compare.builder().setData(data).setOutput(out).setModels(List.of("tiny-3d")).optFrames(4)
                .optStride(2).optSize(32).optClips(2).optTraining(c -> c.optEpochs(1).optFlip(false)).build();
        Compare.Result result = compare.run(new Compare.Listener() {
            @Override
            public void modelStarted(String model, String clip, boolean fusion) {
                events.add("start " + model + " " + clip + " " + fusion);
            }

            @Override
            public TrainingListener training(String model, int epochs) {
                return new TrainingListener() {
                    @Override
                    public void epochFinished(EpochMetrics metrics, Validation validation) {
                        events.add("epoch " + metrics.epoch() + "/" + epochs);
                    }
                };
            }

            @Override
            public void trainingEnded(String model) {
                events.add("trained " + model);
            }

            @Override
            public void modelFinished(Compare.Row row, Path run) {
                events.add("finished " + row.model() + " " + run.getFileName());
            }
        });
        assertEquals(List.of("start tiny-3d 4x32x32 false", "epoch 1/1", "trained tiny-3d", "finished tiny-3d tiny-3d"),
                events);

        assertEquals(1, result.rows().size());
        Compare.Row row = result.rows().get(0);
        VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(2).optFrames(4)
                .optSize(32).build());
        // Size and cost come from the run's model card, which holds the profiler's figures.
        assertEquals(model.parameterCount(), row.params());
        assertEquals(model.macs() / 1e9, row.gmacsPerClip(), 1e-12);
        assertEquals(RunDir.open(compare.runOf("tiny-3d")).card().macs(), model.macs());
        assertEquals(4, row.testVideos());
        // The recipe and the clip rule reach the run's configuration.
        TrainConfig config = RunDir.open(compare.runOf("tiny-3d")).config();
        assertEquals(List.of(1, 4, 2, 32), List.of(config.schedule().epochs(), config.data().frames(),
                config.data().stride(), config.data().size()));
        assertFalse(config.data().flip());
        assertTrue(row.videoTop1() >= 0 && row.videoTop1() <= 1);
        assertTrue(row.trainClipsPerSecond() > 0 && row.inferenceClipsPerSecond() > 0);
        // left and right are not Kinema-Motion classes: no split by kind.
        assertNull(row.appearanceTop1());
        assertNull(row.motionTop1());
        assertTrue(row.senseTop1().isEmpty());

        assertTrue(result.markdown().contains("| tiny-3d | 4x32x32 |"), result.markdown());
        assertEquals(result.markdown(), Files.readString(result.markdownFile()));
        JsonNode json = new ObjectMapper().readTree(result.jsonFile().toFile());
        assertEquals(row.params(), json.get(0).get("params").asLong());
    }

    @Test
    void aFusionNeedsItsStreamsTrainedFirst() throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 7, 1, 0, 1);
        Compare compare = Compare.builder().setData(data).setOutput(tmp.resolve("out"))
                .setModels(List.of("two-stream-avg")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compare.run(new Compare.Listener() {}));
        assertTrue(e.getMessage().startsWith("two-stream-avg fuses the trained streams: put spatial-stream and "
                + "temporal-stream before it in --models"), e.getMessage());
    }

    @Test
    void senseColumnsAppearOnlyForTheGroupsSomeRowHas() {
        Compare.Row plain = new Compare.Row("slow-fusion", "8x32x32", 0.5, 1.0, 0.25, 1000, 0.5, 2.0, 10.0, 8, Map.of());
        String before = Compare.markdown(List.of(plain));
        assertTrue(before.startsWith("| model | clip | video top-1 | appearance classes | motion-only classes | params |"), before);
        assertTrue(before.contains("| slow-fusion | 8x32x32 | 50.0% | 100.0% | 25.0% | 1,000 | 0.50 | 2.0 | 10.0 |"), before);

        Compare.Row audio = new Compare.Row("audio-cnn", "8x32x32 audio", 0.6, null, null, 2000, 0.1, 3.0, 20.0, 10,
                Map.of("visual", 0.25, "sound", 1.0, "both", 0.0));
        String table = Compare.markdown(List.of(plain, audio));
        assertTrue(table.startsWith("| model | clip | video top-1 | appearance classes | motion-only classes | visual-only classes"
                + " | sound-only classes | classes needing both | params |"), table);
        assertTrue(table.contains("| slow-fusion | 8x32x32 | 50.0% | 100.0% | 25.0% | - | - | - | 1,000 |"), table);
        assertTrue(table.contains("| audio-cnn | 8x32x32 audio | 60.0% | - | - | 25.0% | 100.0% | 0.0% | 2,000 |"), table);
        assertTrue(table.contains("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"), table);
    }
}
