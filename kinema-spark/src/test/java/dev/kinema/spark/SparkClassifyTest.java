package dev.kinema.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.VideoFeatures;
import dev.kinema.testing.TrainedRuns;
import dev.kinema.train.TrainedClassifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kinema spark classify} in {@code local[2]} on rendered videos: each row equals what
 * {@code kinema classify --json} says of that video (the same Predictor, {@link TrainedClassifier}),
 * and bad videos are error rows, not a failed job.
 */
class SparkClassifyTest {
    private static final int CLIPS = 2;

    @TempDir
    static Path tmp;

    static Path run;
    static List<Path> videos;
    static Map<String, VideoClassifier.Classification> expected = new HashMap<>();
    static Map<String, VideoFeatures> expectedFeatures = new HashMap<>();

    @BeforeAll
    static void trainARun() throws Exception {
        Path data = tmp.resolve("data");
        run = TrainedRuns.tinySquares(data, tmp.resolve("run"));
        videos = List.of(data.resolve("train/left/train_00.mp4"), data.resolve("train/left/train_01.mp4"),
                data.resolve("train/right/train_00.mp4"), data.resolve("train/right/train_01.mp4"));
        try (TrainedClassifier classifier = TrainedClassifier.open(run, CLIPS)) {
            for (Path v : videos) {
                expected.put(v.toAbsolutePath().normalize().toString(), classifier.classify(v));
                expectedFeatures.put(v.toAbsolutePath().normalize().toString(), classifier.features(v));
            }
        }
    }

    @AfterAll
    static void stopSpark() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
    }

    @Test
    void theJobWritesWhatKinemaClassifySaysAndAnErrorRowPerBadVideo() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.mp4"), "not a video");
        Path missing = tmp.resolve("missing.mp4");
        Path list = Files.writeString(tmp.resolve("videos.txt"), "# two of the four, relative to this list\n"
                + tmp.relativize(videos.get(2)) + "\n" + tmp.relativize(videos.get(3)) + "\n");
        Path out = tmp.resolve("labels.parquet");
        StringWriter printed = new StringWriter();
        CommandLine cli = new CommandLine(new SparkCommand());
        cli.setOut(new PrintWriter(printed, true));
        int code = cli.execute("classify", "--input", tmp.resolve("data/train/left") + "/*_0[01].mp4",
                list.toString(), broken.toString(), missing.toString(), "--run", run.toString(), "--out", out.toString(),
                "--clips", String.valueOf(CLIPS), "--master", "local[2]", "--partitions", "3");
        assertEquals(2, code, "two videos failed: " + printed);
        assertTrue(printed.toString().contains("6 videos (2 failed) in 3 partitions on local[2]: "), printed.toString());

        SparkSession spark = SparkJob.session("local[2]");
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(6, rows.size());
        int checked = 0;
        for (Row row : rows) {
            String path = row.getAs("path");
            if (path.equals(broken.toString()) || path.equals(missing.toString())) {
                String error = row.getAs("error");
                assertTrue(error != null && error.startsWith(path + ": "), path + ": " + error);
                assertNull(row.getAs("label"));
                continue;
            }
            VideoClassifier.Classification c = expected.get(path);
            assertTrue(c != null, "an unexpected path " + path);
            assertNull(row.getAs("error"));
            assertEquals(c.top5().get(0).label(), row.getAs("label"));
            List<String> labels = row.getList(row.fieldIndex("top_labels"));
            List<Double> scores = row.getList(row.fieldIndex("top_scores"));
            assertEquals(c.top5().size(), labels.size());
            for (int i = 0; i < labels.size(); i++) {
                assertEquals(c.top5().get(i).label(), labels.get(i));
                assertEquals(c.top5().get(i).probability(), scores.get(i), 0.0, "bit for bit: the same Predictor");
            }
            List<Row> clips = row.getList(row.fieldIndex("clips"));
            assertEquals(CLIPS, clips.size());
            for (int i = 0; i < CLIPS; i++) {
                VideoClassifier.ClipPrediction p = c.clips().get(i);
                assertEquals(p.start(), clips.get(i).getDouble(0), 0.0);
                assertEquals(p.end(), clips.get(i).getDouble(1), 0.0);
                assertEquals(p.label(), clips.get(i).getString(2));
                assertEquals(p.probability(), clips.get(i).getDouble(3), 0.0);
            }
            checked++;
        }
        assertEquals(4, checked);
        assertTrue(ExecutorModels.loads() <= 2, "a run is loaded once per running task slot, not per video or partition: "
                + ExecutorModels.loads());
    }

    @Test
    void theFeaturesJobWritesEachVideosPreLogitFeaturesAndAnErrorRowPerBadVideo() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken-too.mp4"), "not a video either");
        Path out = tmp.resolve("features.parquet");
        StringWriter printed = new StringWriter();
        CommandLine cli = new CommandLine(new SparkCommand());
        cli.setOut(new PrintWriter(printed, true));
        int code = cli.execute("features", "--input", videos.get(0).toString(), videos.get(3).toString(), broken.toString(),
                "--run", run.toString(), "--out", out.toString(), "--clips", String.valueOf(CLIPS), "--master", "local[2]",
                "--partitions", "2");
        assertEquals(2, code, "one video failed: " + printed);
        assertTrue(printed.toString().contains("3 videos (1 failed) in 2 partitions on local[2]: "), printed.toString());

        List<Row> rows = SparkJob.session("local[2]").read().parquet(out.toString()).collectAsList();
        assertEquals(3, rows.size());
        int checked = 0;
        for (Row row : rows) {
            String path = row.getAs("path");
            if (path.equals(broken.toString())) {
                String error = row.getAs("error");
                assertTrue(error != null && error.startsWith(path + ": "), path + ": " + error);
                assertNull(row.getAs("features"));
                continue;
            }
            VideoFeatures f = expectedFeatures.get(path);
            assertTrue(f != null, "an unexpected path " + path);
            assertNull(row.getAs("error"));
            List<Float> mean = row.getList(row.fieldIndex("features"));
            assertEquals(f.dimension(), mean.size());
            for (int j = 0; j < mean.size(); j++) {
                assertEquals(f.mean()[j], mean.get(j), 0.0f, "bit for bit: the same Predictor");
            }
            List<Row> clips = row.getList(row.fieldIndex("clips"));
            assertEquals(CLIPS, clips.size());
            for (int i = 0; i < CLIPS; i++) {
                assertEquals(f.clips().get(i).start(), clips.get(i).getDouble(0), 0.0);
                List<Float> clipFeatures = clips.get(i).getList(2);
                assertEquals(f.clips().get(i).features()[0], clipFeatures.get(0), 0.0f);
            }
            checked++;
        }
        assertEquals(2, checked);
    }

    @Test
    void theJavaApiTransformsADatasetOfPaths() {
        SparkSession spark = SparkJob.session("local[2]");
        Dataset<Row> input = spark.createDataset(videos.stream().map(Path::toString).toList(),
                org.apache.spark.sql.Encoders.STRING()).toDF("video");
        List<Row> rows = VideoInference.of(run, CLIPS).classify(input, "video").collectAsList();
        assertEquals(4, rows.size());
        for (Row row : rows) {
            VideoClassifier.Classification c = expected.get(Path.of(row.<String>getAs("path")).toAbsolutePath().normalize().toString());
            assertEquals(c.top5().get(0).label(), row.getAs("label"));
        }
    }
}
