package dev.kinema.spark;

import dev.kinema.train.TrainedClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Predictors of one executor JVM, kept for its lifetime: a run is loaded the first time a task
 * needs it and then reused by every later task. A DJL Predictor serves one thread at a time, so an
 * executor running {@code spark.executor.cores} tasks at once holds that many; the native engine
 * itself is initialised once per JVM by DJL.
 */
final class ExecutorModels {
    private static final Map<String, Queue<TrainedClassifier>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IDLE.values().forEach(q -> q.forEach(TrainedClassifier::close)),
                "kinema-spark-models"));
    }

    private ExecutorModels() {}

    /** A Predictor of {@code run} with {@code clips} clips, loaded now only if every loaded one is busy. */
    static TrainedClassifier borrow(String run, int clips) throws IOException {
        TrainedClassifier idle = IDLE.computeIfAbsent(key(run, clips), k -> new ConcurrentLinkedQueue<>()).poll();
        if (idle != null) {
            return idle;
        }
        LOADS.incrementAndGet();
        return TrainedClassifier.open(Path.of(run), clips);
    }

    static void giveBack(String run, int clips, TrainedClassifier classifier) {
        IDLE.get(key(run, clips)).add(classifier);
    }

    /** How many times this JVM has loaded a run (for tests: at most one per concurrent task). */
    static int loads() {
        return LOADS.get();
    }

    private static String key(String run, int clips) {
        return run + "\u0000" + clips;
    }
}
