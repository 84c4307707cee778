package dev.kinema.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema spark}: batch jobs over many videos on Apache Spark. The {@code kinema} command
 * registers it; {@code spark-submit --class dev.kinema.spark.SparkJob} runs the same on a cluster.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = {"Batch inference and feature extraction over many videos on Apache Spark (docs/spark.md)."},
        subcommands = {SparkCommand.Classify.class, SparkCommand.Features.class})
public final class SparkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kinema spark classify}: a Parquet table of what a run sees in each video. */
    @Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Classify videos with a trained run on Spark and write one Parquet row per video: path, label,",
                "top_labels, top_scores, clips [{start, end, label, probability}] and error (the reason a video",
                "failed; a bad video never fails the job)."})
    public static final class Classify extends Job {
        @Override
        Dataset<Row> rows(VideoInference inference, SparkSession spark, List<String> videos, int partitions) {
            return inference.classify(spark, videos, partitions);
        }
    }

    /** {@code kinema spark features}: a Parquet table of each video's feature vector. */
    @Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Extract each video's feature vector with a trained run on Spark (the features its classifier",
                "takes, of the same clips classify uses: the \"C3D features\" use) and write one Parquet row per",
                "video: path, features (the clips' mean), clips [{start, end, features}] and error."})
    public static final class Features extends Job {
        @Override
        Dataset<Row> rows(VideoInference inference, SparkSession spark, List<String> videos, int partitions) {
            return inference.features(spark, videos, partitions);
        }
    }

    /** What every job shares: the videos, the run, the master and the output; one Parquet row per video. */
    abstract static class Job implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--input", paramLabel = "PATH|GLOB|LIST", required = true, arity = "1..*",
                description = "Videos: files, folders, globs (quote them) or list files (.txt/.list, one path a line).")
        List<String> inputs;

        @Option(names = "--run", paramLabel = "RUN", required = true, description = "Run directory written by kinema train (readable by every executor).")
        Path run;

        @Option(names = "--out", paramLabel = "OUT.parquet", required = true, description = "Output Parquet folder (must not exist).")
        Path out;

        @Option(names = "--clips", paramLabel = "K", defaultValue = "10", description = "Clips per video (default: ${DEFAULT-VALUE}).")
        int clips;

        @Option(names = "--master", defaultValue = "local[*]", description = "Spark master: local[N] or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
        String master;

        @Option(names = "--partitions", paramLabel = "P", description = "Partitions (default: 2 per core of the master's default parallelism).")
        Integer partitions;

        /** The job's rows for {@code videos}. */
        abstract Dataset<Row> rows(VideoInference inference, SparkSession spark, List<String> videos, int partitions);

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + ": already exists; choose a new --out");
            }
            if (!Files.isRegularFile(run.resolve("config.json"))) {
                throw new IllegalArgumentException(run + ": not a run directory (no config.json)");
            }
            List<String> videos = VideoInputs.resolve(inputs);
            PrintWriter stdout = spec.commandLine().getOut();
            String name = spec.qualifiedName(" ");
            long start = System.nanoTime();
            try (SparkSession spark = SparkJob.session(master)) {
                double startup = (System.nanoTime() - start) / 1e9;
                int p = partitions != null ? partitions : Math.min(videos.size(), 2 * spark.sparkContext().defaultParallelism());
                long jobStart = System.nanoTime();
                Dataset<Row> rows = rows(VideoInference.of(run, clips), spark, videos, Math.max(1, p));
                rows.write().mode(SaveMode.Overwrite).parquet(out.toString());   // checked above to be new
                double seconds = (System.nanoTime() - jobStart) / 1e9;
                long failed = spark.read().parquet(out.toString()).filter(functions.col("error").isNotNull()).count();
                // The job's own time (decode, infer, write), apart from starting Spark, which a cluster pays once.
                stdout.printf(java.util.Locale.ROOT, "%s: %d videos (%d failed) in %d partitions on %s:"
                        + " %.1f s, %.2f videos/s (Spark started in %.1f s) -> %s%n", name, videos.size(), failed, p, master,
                        seconds, videos.size() / seconds, startup, out);
                return failed == 0 ? 0 : 2;
            }
        }
    }
}
