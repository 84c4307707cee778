package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on squares sliding left or right: train tiny-3d without flips (a flip would swap the
 * classes), then evaluate and classify from the run directory alone.
 */
class TrainEvalClassifyTest {
    private static final int EPOCHS = 8;

    @TempDir
    static Path tmp;

    static Path data;
    static Path run;
    static CliRun training;

    @BeforeAll
    static void train() {
        data = TrainingVideos.movingSquares(tmp.resolve("squares"), 3, 32, 8, 4);
        run = tmp.resolve("run");
        training = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out", run.toString(),
                "--frames", "8", "--stride", "1", "--size", "32", "--epochs", String.valueOf(EPOCHS), "--batch", "8",
                "--lr", "0.01", "--val-clips", "2", "--no-flip", "--workers", "2", "--seed", "0");
    }

    @Test
    void trainingLearnsTheDirectionAndWritesTheRun() throws Exception {
        assertEquals(0, training.exitCode(), training.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(EPOCHS, lines.size());
        JsonNode last = Json.MAPPER.readTree(lines.get(EPOCHS - 1));
        assertEquals(EPOCHS, last.get("epoch").asInt());
        assertTrue(last.get("val_video_top1").asDouble() >= 0.75, lines.get(EPOCHS - 1));
        assertTrue(training.out().contains("epoch " + EPOCHS + "/" + EPOCHS + ": loss"), training.out());
        for (String f : List.of("config.json", "labels.txt", "checkpoint.ckpt", "report.html", "loss.png",
                "accuracy.png", "confusion.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(List.of("left", "right"), Files.readAllLines(run.resolve("labels.txt")));
        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile());
        assertEquals(false, config.get("data").get("flip").asBoolean());
        assertEquals("classification", config.get("task").asText());

        // best.ckpt holds the first epoch of the highest validation video top-1 (the default metric).
        int best = 0;
        double bestTop1 = -1;
        for (String line : lines) {
            JsonNode m = Json.MAPPER.readTree(line);
            if (m.get("val_video_top1").asDouble() > bestTop1) {
                bestTop1 = m.get("val_video_top1").asDouble();
                best = m.get("epoch").asInt();
            }
        }
        assertEquals(best, Checkpoint.readHeader(run.resolve("best.ckpt")).epoch());
        assertTrue(training.out().contains("best: " + run.resolve("best.ckpt") + " (by video_top1)"), training.out());
        assertTrue(training.out().contains(", train top-1 "), training.out());
        assertTrue(training.out().contains(", val video top-1 "), training.out());
    }

    @Test
    void theBestCheckpointFollowsTheChosenMetric() throws Exception {
        Path other = tmp.resolve("by-clip");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out", other.toString(),
                "--frames", "8", "--stride", "1", "--size", "32", "--epochs", "2", "--batch", "8", "--val-clips", "1",
                "--no-flip", "--best-metric", "val_mean_class_accuracy");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(other.resolve("metrics.jsonl"));
        double first = Json.MAPPER.readTree(lines.get(0)).get("val_mean_class_accuracy").asDouble();
        double second = Json.MAPPER.readTree(lines.get(1)).get("val_mean_class_accuracy").asDouble();
        assertEquals(second > first ? 2 : 1, Checkpoint.readHeader(other.resolve("best.ckpt")).epoch());
        assertTrue(r.out().contains(", val mean class accuracy "), r.out());
        assertEquals("mean_class_accuracy",
                Json.MAPPER.readTree(other.resolve("config.json").toFile()).get("best_metric").asText());

        for (List<String> bad : List.of(List.of("--best-metric", "top5"), List.of("--task", "captioning"),
                List.of("--momentum", "1.5"), List.of("--clip-grad-norm", "0"))) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--model", "tiny-3d",
                    "--out", tmp.resolve("refused").toString()));
            args.addAll(bad);
            CliRun refused = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, refused.exitCode(), bad + ": " + refused.err());
            assertEquals(1, refused.err().strip().lines().count(), bad + ": " + refused.err());
            assertTrue(refused.out().isEmpty(), "nothing is printed before the options are checked: " + refused.out());
        }
        CliRun metric = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out",
                tmp.resolve("refused").toString(), "--best-metric", "top5");
        assertTrue(metric.err().contains("the classification task has no validation metric 'top5'; choose one of "
                + "[clip_top1, video_top1, video_top5, mean_class_accuracy]"), metric.err());
    }

    @Test
    void evalOnAnEmptySplitIsAnErrorNamingTheSplitAndTheFolder() throws Exception {
        Path copy = tmp.resolve("empty-test");
        try (java.util.stream.Stream<Path> classes = java.nio.file.Files.list(data.resolve("train"))) {
            for (Path c : classes.toList()) {
                java.nio.file.Files.createDirectories(copy.resolve("test").resolve(c.getFileName().toString()));
                try (java.util.stream.Stream<Path> videos = java.nio.file.Files.list(c)) {
                    for (Path v : videos.toList()) {
                        Path to = copy.resolve("train").resolve(c.getFileName().toString()).resolve(v.getFileName().toString());
                        java.nio.file.Files.createDirectories(to.getParent());
                        java.nio.file.Files.copy(v, to);
                    }
                }
            }
        }
        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--data", copy.toString(), "--split", "test");
        assertEquals(2, eval.exitCode(), eval.out());
        List<String> lines = eval.err().lines().toList();
        assertEquals("kinema: " + copy + ": the test split has no videos; nothing to evaluate", lines.get(lines.size() - 1));
        assertTrue(lines.get(0).matches("kinema: \\d+ annotation problems skipped: \\d+ empty class folders .*"), lines.get(0));
    }

    @Test
    void evalPrintsTheDocumentedJson() throws Exception {
        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "3", "--crops", "3",
                "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        for (String key : List.of("clip_top1", "clip_top5", "video_top1", "video_top5", "mean_class_accuracy",
                "classes", "confusion")) {
            assertTrue(r.has(key), "missing " + key + " in " + r);
        }
        assertEquals(List.of("left", "right"), List.of(r.get("classes").get(0).asText(), r.get("classes").get(1).asText()));
        int total = 0;
        int right = 0;
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p < 2; p++) {
                int n = r.get("confusion").get(t).get(p).asInt();
                total += n;
                right += t == p ? n : 0;
            }
        }
        assertEquals(8, total);
        assertEquals((double) right / total, r.get("video_top1").asDouble(), 1e-12);
        assertTrue(r.get("video_top1").asDouble() >= 0.75, r.toString());
        assertEquals(1.0, r.get("video_top5").asDouble());
        assertEquals(3, r.get("crops").asInt());

        CliRun text = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "2");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("video top-1"), text.out());
        assertTrue(text.out().contains("confusion (rows true, columns predicted)"), text.out());
    }

    @Test
    void evalAndClassifyReadTheCheckpointTheyAreTold() throws Exception {
        Path left = data.resolve("test/left/test_00.mp4").toAbsolutePath();
        String last = classifyJson(left, "last");
        String best = classifyJson(left, "best");
        assertEquals(best, classifyJson(left, run.resolve("best.ckpt").toString()), "best is RUN/best.ckpt");
        assertEquals(last, classifyJson(left, run.resolve("checkpoint.ckpt").toString()), "last is RUN/checkpoint.ckpt");
        String previous = classifyJson(left, run.resolve("checkpoint.prev.ckpt").toString());
        assertFalse(previous.equals(last), "epoch " + (EPOCHS - 1) + "'s weights give other probabilities: " + previous);

        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "2", "--checkpoint", "best");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().startsWith(run + " (weights: best.ckpt) on test: "), eval.out());

        // A damaged best.ckpt fails the command that asked for it, naming it, and not the one that did not.
        Path copy = tmp.resolve("damaged-best");
        Files.createDirectories(copy);
        for (String f : List.of("config.json", "labels.txt", "card.json", "checkpoint.ckpt")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        CliRun noBest = CliRun.of("eval", "--run", copy.toString(), "--split", "test", "--checkpoint", "best");
        assertEquals(2, noBest.exitCode(), noBest.out());
        assertEquals("kinema: " + copy.resolve("best.ckpt") + ": no such checkpoint (the run had no validation to pick a "
                + "best epoch by)", noBest.err().strip());
        Files.write(copy.resolve("best.ckpt"), new byte[] {1, 2, 3});
        CliRun damaged = CliRun.of("eval", "--run", copy.toString(), "--split", "test", "--checkpoint", "best");
        assertEquals(2, damaged.exitCode(), damaged.out());
        assertEquals(1, damaged.err().strip().lines().count(), damaged.err());
        assertTrue(damaged.err().startsWith("kinema: " + copy.resolve("best.ckpt")), damaged.err());
        assertEquals(0, CliRun.of("eval", "--run", copy.toString(), "--split", "test", "--clips", "1").exitCode());
    }

    private static String classifyJson(Path video, String checkpoint) {
        CliRun c = CliRun.of("classify", video.toString(), "--run", run.toString(), "--clips", "2", "--json",
                "--checkpoint", checkpoint);
        assertEquals(0, c.exitCode(), checkpoint + ": " + c.err());
        return c.out();
    }

    @Test
    void classifyShowsTheTopClassesAndEachClip() throws Exception {
        Path left = data.resolve("test/left/test_00.mp4");
        Path right = data.resolve("test/right/test_00.mp4");
        CliRun c = CliRun.of("classify", left.toString(), right.toString(), "--run", run.toString(), "--clips", "3",
                "--json");
        assertEquals(0, c.exitCode(), c.err());
        List<String> lines = c.out().lines().toList();
        assertEquals(2, lines.size(), c.out());
        for (String line : lines) {
            JsonNode v = Json.MAPPER.readTree(line);
            JsonNode top = v.get("top5");
            assertEquals(2, top.size(), "two classes: " + v);
            assertTrue(top.get(0).get("probability").asDouble() >= top.get(1).get("probability").asDouble());
            assertEquals(1.0, top.get(0).get("probability").asDouble() + top.get(1).get("probability").asDouble(), 1e-5);
            JsonNode clips = v.get("clips");
            assertEquals(3, clips.size());
            double previous = -1;
            for (JsonNode clip : clips) {
                double start = clip.get("start").asDouble();
                double end = clip.get("end").asDouble();
                assertTrue(start > previous && end > start && end <= 2.0 + 1e-9, clip.toString());
                assertTrue(List.of("left", "right").contains(clip.get("label").asText()), clip.toString());
                assertTrue(clip.get("probability").asDouble() >= 0.5, clip.toString());
                previous = start;
            }
        }
        CliRun tooMany = CliRun.of("classify", left.toString(), "--run", run.toString(), "--clips", "100000");
        assertEquals(2, tooMany.exitCode());
        assertTrue(tooMany.err().strip().matches("kinema: 100000 clips per video of \\(1, 3, 8, 32, 32\\) would take "
                + "9\\.8 GB; at most \\d+ fit in the 1024 MB a video's clips may use"), tooMany.err());

        CliRun text = CliRun.of("classify", left.toString(), "--run", run.toString(), "--clips", "2");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().startsWith(left + ": "), text.out());
        assertEquals(3, text.out().lines().count(), text.out());
    }

    @Test
    void resumingAFinishedRunTrainsNothingAndBadInputIsReported() throws Exception {
        CliRun again = CliRun.of("train", "--out", run.toString(), "--resume");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(EPOCHS, Files.readAllLines(run.resolve("metrics.jsonl")).size());

        CliRun changed = CliRun.of("train", "--out", run.toString(), "--resume", "--lr", "0.5");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("optimizer.lr: 0.01 -> 0.5"), changed.err());

        CliRun noData = CliRun.of("train", "--out", tmp.resolve("other").toString(), "--model", "tiny-3d");
        assertEquals(2, noData.exitCode());
        CliRun unknown = CliRun.of("train", "--data", data.toString(), "--model", "resnet-1000", "--out",
                tmp.resolve("unknown").toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown model 'resnet-1000'"), unknown.err());
        assertTrue(unknown.out().isEmpty(), "refused before training starts: " + unknown.out());
        CliRun missing = CliRun.of("train", "--data", tmp.resolve("no-such-data").toString(), "--model", "tiny-3d",
                "--out", tmp.resolve("missing").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains(tmp.resolve("no-such-data") + ": not a directory"), missing.err());
        assertTrue(missing.out().isEmpty(), missing.out());

        CliRun noRun = CliRun.of("eval", "--run", tmp.resolve("nowhere").toString(), "--split", "test");
        assertEquals(2, noRun.exitCode());
        assertTrue(noRun.err().contains("config.json"), noRun.err());

        Path broken = Files.writeString(tmp.resolve("broken.mp4"), "not a video");
        CliRun bad = CliRun.of("classify", broken.toString(), data.resolve("test/left/test_01.mp4").toString(),
                "--run", run.toString(), "--clips", "2", "--json");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains(broken.toString()), bad.err());
        assertEquals(1, bad.out().lines().count(), "the readable video is still classified: " + bad.out());
    }

    @Test
    void gradientClippingIsRecordedInTheRunAndCheckedOnResume() throws Exception {
        Path clipped = tmp.resolve("clipped");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out", clipped.toString(),
                "--frames", "8", "--stride", "1", "--size", "32", "--epochs", "1", "--batch", "8", "--val-clips", "1",
                "--no-flip", "--clip-grad-norm", "40");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode optimizer = Json.MAPPER.readTree(clipped.resolve("config.json").toFile()).get("optimizer");
        assertEquals(40.0, optimizer.get("clip_grad_norm").asDouble());
        // Off by default: the plain run's config has no such key, as runs written before it existed.
        assertFalse(Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("optimizer").has("clip_grad_norm"));

        CliRun changed = CliRun.of("train", "--out", clipped.toString(), "--resume", "--clip-grad-norm", "1");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("optimizer.clip_grad_norm: 40.0 -> 1.0"), changed.err());
    }

    @Test
    void regularisationOptionsAreRecordedInTheRunAndCheckedOnResume() throws Exception {
        Path regularized = tmp.resolve("regularized");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out", regularized.toString(),
                "--frames", "8", "--stride", "1", "--size", "32", "--epochs", "1", "--batch", "8", "--val-clips", "1",
                "--no-flip", "--label-smoothing", "0.1", "--mixup", "0.8", "--cutmix", "1.0", "--randaugment", "2,9");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode saved = Json.MAPPER.readTree(regularized.resolve("config.json").toFile()).get("regularization");
        assertEquals(0.1, saved.get("label_smoothing").asDouble());
        assertEquals(0.8, saved.get("mixup").asDouble());
        assertEquals(1.0, saved.get("cutmix").asDouble());
        assertEquals(0.5, saved.get("mix_switch_probability").asDouble());
        assertEquals(2, saved.get("rand_augment_ops").asInt());
        assertEquals(9, saved.get("rand_augment_magnitude").asInt());
        // The plain run above records none.
        JsonNode plain = Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("regularization");
        assertEquals(0.0, plain.get("label_smoothing").asDouble());
        assertEquals(0, plain.get("rand_augment_ops").asInt());

        CliRun changed = CliRun.of("train", "--out", regularized.toString(), "--resume", "--mixup", "0.2");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("regularization.mixup: 0.8 -> 0.2"), changed.err());

        for (List<String> bad : List.of(List.of("--randaugment", "2"), List.of("--randaugment", "2,11"),
                List.of("--label-smoothing", "1.5"), List.of("--cutmix", "-1"))) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--model",
                    "tiny-3d", "--out", tmp.resolve("bad").toString()));
            args.addAll(bad);
            CliRun refused = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, refused.exitCode(), bad + ": " + refused.err());
            assertEquals(1, refused.err().strip().lines().count(), bad + ": " + refused.err());
            assertTrue(!Files.exists(tmp.resolve("bad").resolve("checkpoint.ckpt")), bad.toString());
        }
    }
}
