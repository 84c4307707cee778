package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.cards.ModelCard;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.RunDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinema run-model --torchscript} and {@code kinema import --torchscript}: the TorchScript
 * model tools/golden/torchscript_tiny.py traced with torch 1.13 (3 x 4 x 32 x 32 clips, 5 classes).
 */
class TorchScriptCommandsTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path card;
    static Path data;

    @BeforeAll
    static void prepare() throws IOException {
        model = golden("tiny_video.pt");
        card = golden("tiny_video_card.json");
        // Five classes, one test video each, named as the card's categories.
        Path squares = TrainingVideos.movingSquares(tmp.resolve("squares"), 3, 0, 0, 3);
        List<Path> videos;
        try (var files = Files.walk(squares.resolve("test"))) {
            videos = files.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
        data = tmp.resolve("five");
        for (int i = 0; i < 5; i++) {
            Path dir = Files.createDirectories(data.resolve("test").resolve("class_" + i));
            Files.copy(videos.get(i % videos.size()), dir.resolve("v" + i + ".mp4"));
        }
    }

    static Path golden(String name) throws IOException {
        try (InputStream in = TorchScriptCommandsTest.class.getResourceAsStream("/golden/torchscript/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/torchscript/" + name);
            }
            Path out = tmp.resolve(name);
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        }
    }

    @Test
    void runModelReproducesTorchLogits() throws IOException {
        Path out = tmp.resolve("y.npy");
        CliRun run = CliRun.of("run-model", "--torchscript", model.toString(), "--input",
                golden("tiny_video_input.npy").toString(), "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("tiny_video.pt (TorchScript, file format version 3): input 2x3x4x32x32 -> output 2x5"),
                run.out());
        FloatTensor expected = Npy.read(golden("tiny_video_logits.npy"));
        FloatTensor actual = Npy.read(out);
        assertArrayEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-5, "logit " + i);
        }
    }

    @Test
    void runModelClassifiesAVideoAsClassifyDoesAnImportedRun() throws Exception {
        Path run = tmp.resolve("run-for-video");
        assertEquals(0, CliRun.of("import", "--torchscript", model.toString(), "--card", card.toString(), "--out",
                run.toString()).exitCode());
        Path video = data.resolve("test").resolve("class_1").resolve("v1.mp4");
        CliRun classify = CliRun.of("classify", "--run", run.toString(), "--clips", "3", "--json", video.toString());
        assertEquals(0, classify.exitCode(), classify.err());

        Path json = tmp.resolve("video.json");
        CliRun direct = CliRun.of("run-model", "--torchscript", model.toString(), "--card", card.toString(), "--input",
                video.toString(), "--clips", "3", "--output", json.toString());
        assertEquals(0, direct.exitCode(), direct.err());
        assertTrue(direct.out().startsWith(video + ": class_"), direct.out());
        // The same Predictor on the same clips: the same top 5 and clip timeline.
        assertEquals(Json.MAPPER.readTree(classify.out()), Json.MAPPER.readTree(json.toFile()));

        CliRun noCard = CliRun.of("run-model", "--torchscript", model.toString(), "--input", video.toString());
        assertEquals(2, noCard.exitCode());
        assertTrue(noCard.err().contains("--torchscript needs --card"), noCard.err());
        CliRun text = CliRun.of("run-model", "--torchscript", model.toString(), "--input", tmp.resolve("x.txt").toString(),
                "--output", json.toString());
        assertEquals(2, text.exitCode());
        assertTrue(text.err().contains("x.txt: the input must be a .npy tensor or a video"), text.err());
    }

    @Test
    void importedTorchScriptRunEvaluatesAndClassifies() throws Exception {
        Path run = tmp.resolve("run");
        CliRun imported = CliRun.of("import", "--torchscript", model.toString(), "--card", card.toString(),
                "--out", run.toString(), "--data", data.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("imported TorchScript tiny_video.pt (5 classes, 4x32x32 clips)"), imported.out());
        RunDir dir = RunDir.open(run);
        assertTrue(dir.card().weights().isTorchScript());
        assertEquals(List.of("class_0", "class_1", "class_2", "class_3", "class_4"), dir.labels());
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(run.resolve(dir.card().weights().file())));
        assertEquals(ModelCard.read(card).input(), dir.card().input());

        Path video = data.resolve("test").resolve("class_0").resolve("v0.mp4");
        CliRun classify = CliRun.of("classify", "--run", run.toString(), "--clips", "2", "--json", video.toString());
        assertEquals(0, classify.exitCode(), classify.err());
        JsonNode c = Json.MAPPER.readTree(classify.out());
        assertEquals(5, c.get("top5").size());
        double total = 0;
        for (JsonNode p : c.get("top5")) {
            total += p.get("probability").asDouble();
        }
        assertEquals(1.0, total, 1e-5);

        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "2", "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        int videos = 0;
        for (JsonNode row : Json.MAPPER.readTree(eval.out()).get("confusion")) {
            for (JsonNode n : row) {
                videos += n.asInt();
            }
        }
        assertEquals(5, videos);
    }

    @Test
    void badFilesAndOptionsGiveOneClearLine() throws IOException {
        Path stateDict = golden("state_dict.pt");
        CliRun notScript = CliRun.of("run-model", "--torchscript", stateDict.toString(), "--input",
                golden("tiny_video_input.npy").toString(), "--output", tmp.resolve("z.npy").toString());
        assertEquals(2, notScript.exitCode());
        assertTrue(notScript.err().contains(stateDict + ": a torch.save checkpoint"), notScript.err());
        assertEquals(1, notScript.err().strip().lines().count(), notScript.err());

        CliRun noCard = CliRun.of("import", "--torchscript", model.toString(), "--out", tmp.resolve("nocard").toString());
        assertEquals(2, noCard.exitCode());
        assertTrue(noCard.err().contains("--torchscript needs --card"), noCard.err());

        CliRun both = CliRun.of("run-model", "--torchscript", model.toString(), "--model", "tiny-3d", "--input",
                golden("tiny_video_input.npy").toString(), "--output", tmp.resolve("z.npy").toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--torchscript holds its own model"), both.err());

        // A card whose clips the model cannot take (flow: 2 channels) is refused before anything is written.
        Path flowCard = Files.writeString(tmp.resolve("flow_card.json"), Files.readString(card)
                .replace("\"modality\": \"rgb\"", "\"modality\": \"flow\"").replace("\"channels\": 3", "\"channels\": 2"));
        CliRun wrong = CliRun.of("import", "--torchscript", model.toString(), "--card", flowCard.toString(),
                "--out", tmp.resolve("wrong").toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains(model + " does not take the card's (1, 2, 4, 32, 32) clips"), wrong.err());
        assertTrue(Files.notExists(tmp.resolve("wrong").resolve(ModelCard.FILE)));
    }
}
