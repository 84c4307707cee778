package dev.kinema.tasks;

import dev.kinema.data.loader.ClipBatch;

/**
 * The part every task's epoch accumulator shares: clips counted and their loss averaged, each batch
 * weighted by its size. A task adds its own metrics in {@link #addMetrics} and {@link #summary}.
 */
abstract class MeanLossAccumulator implements TrainingTask.EpochMetricsAccumulator {
    private double lossSum;
    private int clips;

    @Override
    public final void add(ClipBatch batch, float[] outputs, float meanLoss) {
        addMetrics(batch, outputs);
        lossSum += (double) meanLoss * batch.size();
        clips += batch.size();
    }

    /** Counts the task's own metrics of a batch; the loss is already taken care of. */
    abstract void addMetrics(ClipBatch batch, float[] outputs);

    @Override
    public final int clips() {
        return clips;
    }

    @Override
    public final double meanLoss() {
        return clips == 0 ? Double.NaN : lossSum / clips;
    }
}
