package dev.kinema.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs rendering jobs on a fixed pool of daemon threads; the first failure cancels the rest and is rethrown. */
final class ParallelRender {
    private ParallelRender() {}

    /**
     * @param jobs one job per output file
     * @param names what each job writes, for the error message
     * @param progress called with the number of finished jobs after each one (from worker threads)
     */
    static void run(List<Runnable> jobs, List<?> names, int workers, IntConsumer progress) {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "kinema-synth");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable job : jobs) {
                futures.add(pool.submit(() -> {
                    job.run();
                    progress.accept(done.incrementAndGet());
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("cannot render " + names.get(i) + ": " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    throw new IllegalStateException("interrupted while rendering " + names.get(i), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
