package dev.kinema.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The entry point for {@code spark-submit}: the same options as {@code kinema spark}, e.g.
 * {@code spark-submit --class dev.kinema.spark.SparkJob kinema-spark-all.jar classify --input ... --run ... --out ...}
 * (the master then comes from spark-submit).
 */
public final class SparkJob {
    private SparkJob() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkCommand()).execute(args));
    }

    /** A session on {@code master}, or on spark-submit's master when it set one; quiet logs. */
    static SparkSession session(String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("kinema");
        if (System.getProperty("spark.master") == null) {
            builder.master(master);
            if (master.startsWith("local")) {
                // One JVM: keep the driver on loopback rather than the machine's first interface.
                builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        SparkSession spark = builder
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                // A job here is one map over videos, no joins: adaptive execution has nothing to tune, and in
                // Spark 4.0.1 it once ran a Parquet write twice (the second found the first's folder).
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
