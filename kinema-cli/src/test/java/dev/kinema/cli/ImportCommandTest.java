package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.weights.DType;
import dev.kinema.weights.ModelWeights;
import dev.kinema.weights.ParameterNames;
import dev.kinema.weights.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinema import} makes a run that {@code eval} and {@code classify} take as if it were trained. */
class ImportCommandTest {
    @TempDir
    static Path tmp;

    static Path data;
    static Path weights;

    /** Squares sliding left or right, and 2-class tiny-3d weights (as a PyTorch user would bring). */
    @BeforeAll
    static void prepare() throws Exception {
        data = TrainingVideos.movingSquares(tmp.resolve("squares"), 5, 1, 0, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = ModelRegistry.create("tiny-3d",
                    ModelConfig.builder().setNumClasses(2).optFrames(8).optSize(32).build());
            model.initialize(manager);
            weights = ModelWeights.save(model, tmp.resolve("tiny3d-2.safetensors"), DType.F32);
        }
        Files.writeString(tmp.resolve("labels.txt"), "left\nright\n");
    }

    @Test
    void importedRunHoldsTheWeightsAndEvaluatesAndClassifies() throws Exception {
        Path run = tmp.resolve("run");
        CliRun imported = CliRun.of("import", "--model", "tiny-3d", "--weights", weights.toString(), "--out",
                run.toString(), "--labels", tmp.resolve("labels.txt").toString(), "--frames", "8", "--size", "32",
                "--stride", "1", "--data", data.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("imported tiny-3d (2 classes from the label file, 8x32x32 clips)"),
                imported.out());
        for (String f : List.of("config.json", "labels.txt", "checkpoint.ckpt", "card.json", "imported.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(List.of("left", "right"), Files.readAllLines(run.resolve("labels.txt")));

        RunDir dir = RunDir.open(run);
        assertEquals(8, dir.config().data().frames());
        assertEquals(32, dir.config().data().size());
        // tiny-3d's default card: Kinema's clips, as before cards.
        assertEquals(dir.config().input(), dir.input());
        assertEquals(Normalization.KINETICS, dir.input().normalization());
        assertEquals("torchvision", dir.card().weights().mapping());
        assertEquals(List.of("left", "right"), dir.card().categories());
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsFile file = SafetensorsFile.open(weights)) {
            Block model = dir.loadModel(manager, ModelFactory.registry());
            Map<String, Parameter> parameters = ParameterNames.of(model);
            assertEquals(file.names(), parameters.keySet());
            for (String name : file.names()) {
                assertArrayEquals(file.read(name).data(), parameters.get(name).getArray().toFloatArray(), name);
            }
        }

        Path video = data.resolve("test").resolve("left").resolve("test_00.mp4");
        CliRun classify = CliRun.of("classify", "--run", run.toString(), "--clips", "2", "--json", video.toString());
        assertEquals(0, classify.exitCode(), classify.err());
        JsonNode c = Json.MAPPER.readTree(classify.out());
        assertEquals(2, c.get("top5").size());
        double total = c.get("top5").get(0).get("probability").asDouble() + c.get("top5").get(1).get("probability").asDouble();
        assertEquals(1.0, total, 1e-5);

        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "2", "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        int videos = 0;
        for (JsonNode row : r.get("confusion")) {
            for (JsonNode n : row) {
                videos += n.asInt();
            }
        }
        assertEquals(4, videos);
    }

    @Test
    void withoutLabelsTheClassesComeFromTheWeightsAndAreNumbered() throws Exception {
        Path run = tmp.resolve("run-numbered");
        CliRun imported = CliRun.of("import", "--model", "tiny-3d", "--weights", weights.toString(), "--out",
                run.toString(), "--frames", "8", "--size", "32");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("2 classes from the weights' classifier"), imported.out());
        assertTrue(imported.err().contains("class_0 .. class_1"), imported.err());
        assertEquals(List.of("class_0", "class_1"), Files.readAllLines(run.resolve("labels.txt")));

        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test");
        assertEquals(2, eval.exitCode());
        assertTrue(eval.err().contains("imported without --data: pass kinema eval --data DIR"), eval.err());

        CliRun again = CliRun.of("import", "--model", "tiny-3d", "--weights", weights.toString(), "--out",
                run.toString(), "--frames", "8", "--size", "32");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    /** A card gives the clips, the statistics, the categories and the name mapping; options override it. */
    @Test
    void theCardsPreprocessingAndMappingAreTaken() throws Exception {
        Path card = Files.writeString(tmp.resolve("card.json"), """
                {"name": "tiny-3d", "input": {"modality": "rgb", "frames": 6, "stride": 2, "size": 32,
                  "resize": [36, 48], "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]},
                 "categories": ["left", "right"], "weights": {"source": "safetensors", "mapping": "pytorchvideo"}}
                """);
        Path run = tmp.resolve("run-card");
        CliRun imported = CliRun.of("import", "--model", "tiny-3d", "--weights", weights.toString(), "--card",
                card.toString(), "--out", run.toString(), "--frames", "8");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("imported tiny-3d (2 classes from the label file, 8x32x32 clips)"),
                imported.out());
        RunDir dir = RunDir.open(run);
        assertEquals(List.of("left", "right"), dir.labels());
        assertEquals(new ModelInput(8, 2, null, 32, 36, Modality.RGB,
                Normalization.of(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}), 48), dir.input());
        assertEquals("pytorchvideo", dir.card().weights().mapping());
        assertEquals("pytorchvideo", Json.MAPPER.readTree(run.resolve("imported.json").toFile()).get("mapping").asText());
        assertEquals(8, dir.config().data().frames());
    }

    @Test
    void labelsThatDisagreeWithTheWeightsAreRefused() throws Exception {
        Path labels = Files.writeString(tmp.resolve("three.txt"), "a\nb\nc\n");
        Path run = tmp.resolve("run-three");
        CliRun imported = CliRun.of("import", "--model", "tiny-3d", "--weights", weights.toString(), "--out",
                run.toString(), "--labels", labels.toString(), "--frames", "8", "--size", "32");
        assertEquals(2, imported.exitCode());
        assertEquals("kinema: --labels " + labels + " names 3 classes, but the classifier in " + weights + " has 2",
                imported.err().strip());
        assertTrue(Files.notExists(run.resolve("checkpoint.ckpt")));
    }
}
