package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.kinema.cards.ModelCard;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainedClassifier;
import dev.kinema.weights.DType;
import dev.kinema.weights.ModelWeights;
import dev.kinema.weights.ParameterNames;
import dev.kinema.weights.WeightMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Import} and {@link ModelSource} without the CLI: weights and a card become a run the Predictor uses. */
class ImportTest {
    @TempDir
    static Path tmp;

    static Path weights;
    static Path video;

    @BeforeAll
    static void prepare() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = ModelRegistry.create("tiny-3d",
                    ModelConfig.builder().setNumClasses(2).optFrames(8).optSize(32).build());
            model.initialize(manager);
            weights = ModelWeights.save(model, tmp.resolve("tiny3d-2.safetensors"), DType.F32);
        }
        video = tmp.resolve("right.mp4");
        TrainingVideos.movingSquare(video, true, new SplittableRandom(1));
    }

    @Test
    void safetensorsBecomeARunWithTheWeightsAndTheirSizeOnTheCard() throws IOException {
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "left\nright\n");
        Path out = tmp.resolve("safetensors-run");
        Import.Imported imported = Import.builder().setSource(ModelSource.safetensors("tiny-3d", weights))
                .setOutput(out).optLabels(labels)
                .optClips(in -> new ModelCard.Input(in.modality(), null, 8, 1, null, 32, List.of(36), null, in.mean(),
                        in.std()))
                .build().run();
        assertEquals(2, imported.classes());
        assertEquals("the label file", imported.classesFrom());
        assertFalse(imported.numberedLabels());
        assertTrue(imported.report().isComplete());
        assertTrue(Files.isRegularFile(out.resolve(Import.PROVENANCE)));

        RunDir run = RunDir.open(out);
        ModelCard card = run.card();
        assertEquals(List.of("left", "right"), card.categories());
        assertEquals(ModelCard.Weights.SAFETENSORS, card.weights().source());
        assertEquals("torchvision", card.weights().mapping());
        VideoModel reference = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(2).optFrames(8)
                .optSize(32).build());
        assertEquals(reference.parameterCount(), card.params());
        assertEquals(reference.macs(), card.macs());

        try (NDManager manager = NDManager.newBaseManager();
                dev.kinema.weights.SafetensorsFile file = dev.kinema.weights.SafetensorsFile.open(weights)) {
            Map<String, Parameter> loaded = ParameterNames.of(run.loadModel(manager, ModelFactory.registry()));
            for (String name : file.names()) {
                assertArrayEquals(file.read(name).data(), loaded.get(name).getArray().toFloatArray(), name);
            }
        }
        try (TrainedClassifier classifier = TrainedClassifier.open(out, 2)) {
            VideoClassifier.Classification c = classifier.classify(video);
            assertEquals(2, c.top5().size());
            assertEquals(1.0, c.top5().stream().mapToDouble(VideoClassifier.LabelProbability::probability).sum(), 1e-5);
        }

        IOException again = assertThrows(IOException.class, () -> Import.builder()
                .setSource(ModelSource.safetensors("tiny-3d", weights)).setOutput(out).build().run());
        assertEquals(out + " already holds a run; choose another directory", again.getMessage());
    }

    @Test
    void aStrictLoadNamesTheTensorsThatDoNotFitAndWritesNoRun() {
        Path out = tmp.resolve("mismatch");
        ModelSource three = new ModelSource("tiny-3d", weights, null, null, false, 3);
        WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> Import.builder()
                .setSource(three).setOutput(out).build().run());
        assertTrue(e.getMessage().contains("fc.weight: model 3x16, file 2x16"), e.getMessage());
        assertFalse(Files.exists(out.resolve(RunDir.CHECKPOINT)));
    }

    @Test
    void aTorchScriptModelRunsFromItsRunThroughThePredictor() throws IOException {
        Path model = golden("tiny_video.pt");
        Path card = golden("tiny_video_card.json");
        Path out = tmp.resolve("ts-run");
        Import.Imported imported = Import.builder().setSource(ModelSource.torchScript(model)).setOutput(out)
                .optCard(card).build().run();
        assertEquals(5, imported.classes());
        assertNull(imported.report());
        assertEquals(3, imported.fileFormatVersion());
        ModelCard written = RunDir.open(out).card();
        assertTrue(written.weights().isTorchScript());
        assertTrue(written.params() > 0);
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(out.resolve(Import.TORCHSCRIPT_FILE)));
        try (TrainedClassifier classifier = TrainedClassifier.open(out, 3)) {
            VideoClassifier.Classification c = classifier.classify(video);
            assertEquals(5, c.top5().size());
            assertEquals(3, c.clips().size());
        }

        IllegalArgumentException noCard = assertThrows(IllegalArgumentException.class, () -> Import.builder()
                .setSource(ModelSource.torchScript(model)).setOutput(tmp.resolve("x")).build());
        assertTrue(noCard.getMessage().startsWith("--torchscript needs --card"), noCard.getMessage());
    }

    @Test
    void weightsAreGivenOneWay() {
        assertThrows(IllegalArgumentException.class, () -> new ModelSource("tiny-3d", weights, weights, null, false, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelSource("tiny-3d", null, null, null, false, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSource("tiny-3d", weights, null, null, false, 0));
        assertEquals("--classes must be at least 1, got 0", e.getMessage());
        assertEquals("pytorchvideo", ModelSource.safetensors("x3d_xs", weights).orMapping("pytorchvideo").mapping());
        assertEquals("tsm", new ModelSource("tsm", weights, null, "tsm", false, null).orMapping("torchvision").mapping());
    }

    static Path golden(String name) throws IOException {
        try (InputStream in = ImportTest.class.getResourceAsStream("/golden/torchscript/" + name)) {
            Path out = tmp.resolve(name);
            Files.copy(in, out);
            return out;
        }
    }
}
