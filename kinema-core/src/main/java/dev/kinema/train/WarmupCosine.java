package dev.kinema.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate of update {@code step} (0-based): a linear warm-up to the base rate, then a
 * half cosine down to a final rate.
 *
 * <ul>
 *   <li>{@code step < warmup}: {@code base * (step + 1) / warmup}, so the first update already
 *       moves (at {@code base / warmup}) and the last warm-up update uses the full base rate;
 *   <li>then, with {@code p = (step - warmup) / (total - warmup)}:
 *       {@code final + (base - final) * (1 + cos(pi * p)) / 2}, which is the base rate at the first
 *       update after warm-up and reaches {@code final} only after the last one;
 *   <li>{@code step >= total}: {@code final}.
 * </ul>
 *
 * <p>It is a DJL {@link Tracker}, so it can also drive DJL's own optimizers.
 */
public final class WarmupCosine implements Tracker {
    private final float base;
    private final float finalValue;
    private final int warmup;
    private final int total;

    /**
     * @param base the peak rate, reached at the end of warm-up
     * @param warmup warm-up updates, 0 for none; at most {@code total}
     * @param total updates in the whole run, at least 1
     * @param finalValue the rate the cosine ends at (commonly 0)
     */
    public WarmupCosine(float base, int warmup, int total, float finalValue) {
        if (!(base > 0) || !Float.isFinite(base) || !(finalValue >= 0) || finalValue > base) {
            throw new IllegalArgumentException("need 0 <= final <= base, base > 0 and finite, got base " + base
                    + ", final " + finalValue);
        }
        if (total < 1 || warmup < 0 || warmup > total) {
            throw new IllegalArgumentException("need 0 <= warmup <= total and total >= 1, got warmup " + warmup
                    + ", total " + total);
        }
        this.base = base;
        this.finalValue = finalValue;
        this.warmup = warmup;
        this.total = total;
    }

    /** The usual split: warm-up for {@code warmupEpochs} epochs, but never more than half the run. */
    public static WarmupCosine forEpochs(float base, double warmupEpochs, int epochs, int stepsPerEpoch) {
        int total = Math.max(1, epochs * stepsPerEpoch);
        int warmup = (int) Math.min(Math.round(warmupEpochs * stepsPerEpoch), total / 2);
        return new WarmupCosine(base, Math.max(0, warmup), total, 0f);
    }

    @Override
    public float getNewValue(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmup) {
            return (float) ((double) base * (step + 1) / warmup);
        }
        if (step >= total) {
            return finalValue;
        }
        double p = (double) (step - warmup) / (total - warmup);
        return (float) (finalValue + (base - finalValue) * (1 + Math.cos(Math.PI * p)) / 2);
    }

    public int warmupSteps() {
        return warmup;
    }

    public int totalSteps() {
        return total;
    }

    @Override
    public String toString() {
        return "WarmupCosine[base=" + base + ", warmup=" + warmup + ", total=" + total + ", final=" + finalValue + "]";
    }
}
