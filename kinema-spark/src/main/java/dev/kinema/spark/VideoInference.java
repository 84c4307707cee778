package dev.kinema.spark;

import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.VideoFeatures;
import dev.kinema.train.TrainedClassifier;
import dev.kinema.video.VideoDecodeException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Video classification and feature extraction as Spark {@code Dataset} transformations: a column of
 * video paths in, one row per video out with what {@code kinema classify --json} prints for it (or
 * its feature vector), or the reason it failed. Each task reads its partition's videos with a run's
 * Predictor ({@link TrainedClassifier}), loaded once per executor and reused.
 *
 * <pre>{@code
 * Dataset<Row> videos = spark.read().text("videos.txt").withColumnRenamed("value", "path");
 * VideoInference inference = VideoInference.of(Path.of("/shared/runs/demo"), 10);
 * inference.classify(videos, "path").write().parquet("labels.parquet");
 * inference.features(videos, "path").write().parquet("features.parquet");
 * }</pre>
 *
 * <p>The paths must be readable where the tasks run (a shared file system on a cluster).
 */
public final class VideoInference implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One clip's prediction, as in {@code kinema classify --json}'s {@code clips}. */
    public static final StructType CLIP = new StructType()
            .add("start", DataTypes.DoubleType, false)
            .add("end", DataTypes.DoubleType, false)
            .add("label", DataTypes.StringType, false)
            .add("probability", DataTypes.DoubleType, false);

    /**
     * The output rows: {@code path}; the top class {@code label}; the top 5 as {@code top_labels}
     * and {@code top_scores} (softmax averaged over the clips); {@code clips}; and {@code error},
     * the one-line reason when the video could not be classified (then the others are null).
     */
    public static final StructType CLASSIFICATION = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("top_labels", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("top_scores", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("clips", DataTypes.createArrayType(CLIP, false), true)
            .add("error", DataTypes.StringType, true);

    /** One clip's span and pre-logit features, as in {@link VideoFeatures.ClipFeatures}. */
    public static final StructType CLIP_FEATURES = new StructType()
            .add("start", DataTypes.DoubleType, false)
            .add("end", DataTypes.DoubleType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /**
     * The output rows of {@link #features}: {@code path}; {@code features}, the clips' pre-logit
     * features averaged (D floats, the "C3D features" of the video); {@code clips}, each clip's span
     * and features; and {@code error}, the one-line reason when the video could not be read (then
     * the others are null).
     */
    public static final StructType FEATURES = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("clips", DataTypes.createArrayType(CLIP_FEATURES, false), true)
            .add("error", DataTypes.StringType, true);

    private final String run;
    private final int clips;

    private VideoInference(String run, int clips) {
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be at least 1, got " + clips);
        }
        this.run = run;
        this.clips = clips;
    }

    /** Classifies with the run in {@code run} (a path the executors can read), {@code clips} clips per video. */
    public static VideoInference of(Path run, int clips) {
        return new VideoInference(run.toAbsolutePath().normalize().toString(), clips);
    }

    /** Classifies the videos named in {@code videos}' column {@code pathColumn}: rows of {@link #CLASSIFICATION}. */
    public Dataset<Row> classify(Dataset<Row> videos, String pathColumn) {
        return perVideo(videos, pathColumn, VideoInference::classifyOne, CLASSIFICATION);
    }

    /** Classifies {@code paths} spread over {@code partitions} partitions. */
    public Dataset<Row> classify(SparkSession spark, List<String> paths, int partitions) {
        return classify(pathsDataset(spark, paths, partitions), "path");
    }

    /** The feature vectors of the videos named in {@code videos}' column {@code pathColumn}: rows of {@link #FEATURES}. */
    public Dataset<Row> features(Dataset<Row> videos, String pathColumn) {
        return perVideo(videos, pathColumn, VideoInference::featuresOne, FEATURES);
    }

    /** The feature vectors of {@code paths} spread over {@code partitions} partitions. */
    public Dataset<Row> features(SparkSession spark, List<String> paths, int partitions) {
        return features(pathsDataset(spark, paths, partitions), "path");
    }

    private static Dataset<Row> pathsDataset(SparkSession spark, List<String> paths, int partitions) {
        return spark.createDataset(paths, Encoders.STRING()).toDF("path").repartition(partitions);
    }

    /** What one task does with one video, given the executor's model: a row, or an error row. */
    private interface RowMaker extends Serializable {
        Row make(TrainedClassifier classifier, String path);
    }

    private Dataset<Row> perVideo(Dataset<Row> videos, String pathColumn, RowMaker maker, StructType schema) {
        return videos.select(pathColumn).as(Encoders.STRING())
                .mapPartitions((MapPartitionsFunction<String, Row>) paths -> partition(paths, maker), Encoders.row(schema));
    }

    private Iterator<Row> partition(Iterator<String> paths, RowMaker maker) throws Exception {
        if (!paths.hasNext()) {
            return List.<Row>of().iterator();
        }
        List<Row> rows = new ArrayList<>();
        TrainedClassifier classifier = ExecutorModels.borrow(run, clips);
        try {
            while (paths.hasNext()) {
                rows.add(maker.make(classifier, paths.next()));
            }
        } finally {
            ExecutorModels.giveBack(run, clips, classifier);
        }
        return rows.iterator();
    }

    /** One video's classification row; a video that cannot be read is an error row, never a failed job. */
    static Row classifyOne(TrainedClassifier classifier, String path) {
        VideoClassifier.Classification c;
        try {
            c = classifier.classify(Path.of(path));
        } catch (VideoDecodeException | IllegalArgumentException | java.io.UncheckedIOException e) {
            return RowFactory.create(path, null, null, null, null, e.getMessage());
        }
        List<String> labels = c.top5().stream().map(VideoClassifier.LabelProbability::label).toList();
        List<Double> scores = c.top5().stream().map(VideoClassifier.LabelProbability::probability).toList();
        List<Row> clipRows = c.clips().stream()
                .map(p -> RowFactory.create(p.start(), p.end(), p.label(), p.probability())).toList();
        return RowFactory.create(path, labels.get(0), seq(labels), seq(scores), seq(clipRows), null);
    }

    /** One video's features row; a video that cannot be read is an error row, never a failed job. */
    static Row featuresOne(TrainedClassifier classifier, String path) {
        VideoFeatures f;
        try {
            f = classifier.features(Path.of(path));
        } catch (VideoDecodeException | IllegalArgumentException | java.io.UncheckedIOException e) {
            return RowFactory.create(path, null, null, e.getMessage());
        }
        List<Row> clipRows = f.clips().stream()
                .map(c -> RowFactory.create(c.start(), c.end(), seq(boxed(c.features())))).toList();
        return RowFactory.create(path, seq(boxed(f.mean())), seq(clipRows), null);
    }

    private static List<Float> boxed(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    /** Spark's rows hold Scala sequences for array columns. */
    private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }
}
