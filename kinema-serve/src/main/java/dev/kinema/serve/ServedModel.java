package dev.kinema.serve;

import dev.kinema.cards.ModelCard;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainedClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One served run: its card and classes, and its Predictors ({@link TrainedClassifier}s), one per
 * worker, since a DJL Predictor is used by one thread at a time. The server's clip count is loaded
 * at start; another {@code clips} value gets its own Predictors the first time a request asks.
 */
final class ServedModel implements AutoCloseable {
    private final String name;
    private final RunDir run;
    private final int workers;
    private final Map<Integer, Pool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ServedModel(String name, RunDir run, int workers) {
        this.name = name;
        this.run = run;
        this.workers = workers;
    }

    /** Opens the run and loads {@code workers} Predictors of {@code clips} clips. */
    static ServedModel load(String name, Path runDir, int workers, int clips) throws IOException {
        ServedModel model = new ServedModel(name, RunDir.open(runDir), workers);
        try {
            model.pool(clips).fill();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    String name() {
        return name;
    }

    List<String> classes() {
        return run.labels();
    }

    ModelCard card() {
        return run.card();
    }

    /** Classifies {@code video} with {@code clips} clips on the calling thread (a worker). */
    VideoClassifier.Classification classify(Path video, int clips) throws InterruptedException {
        Pool pool = pool(clips);
        TrainedClassifier classifier = pool.borrow();
        try {
            return classifier.classify(video);
        } finally {
            pool.idle.add(classifier);
        }
    }

    private Pool pool(int clips) {
        return pools.computeIfAbsent(clips, Pool::new);
    }

    @Override
    public void close() {
        closed = true;
        for (Pool pool : pools.values()) {
            pool.close();
        }
    }

    /** The Predictors of one clip count: created on demand, at most one per worker. */
    private final class Pool {
        final int clips;
        final BlockingQueue<TrainedClassifier> idle;
        final List<TrainedClassifier> all = new ArrayList<>();

        Pool(int clips) {
            this.clips = clips;
            this.idle = new ArrayBlockingQueue<>(workers);
        }

        void fill() {
            synchronized (this) {
                while (all.size() < workers) {
                    idle.add(open());
                }
            }
        }

        TrainedClassifier borrow() throws InterruptedException {
            TrainedClassifier ready = idle.poll();
            if (ready != null) {
                return ready;
            }
            synchronized (this) {
                if (all.size() < workers) {
                    return open();
                }
            }
            return idle.take();   // never long: there are as many Predictors as workers
        }

        private TrainedClassifier open() {
            if (closed) {
                throw new IllegalStateException("model " + name + " is closed");
            }
            try {
                TrainedClassifier classifier = TrainedClassifier.open(run.dir(), clips);
                all.add(classifier);
                return classifier;
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": " + e.getMessage(), e);
            }
        }

        synchronized void close() {
            for (TrainedClassifier classifier : all) {
                classifier.close();
            }
            all.clear();
        }
    }
}
