package dev.kinema.synth;

import java.util.SplittableRandom;

/**
 * Makes one random performance of an action: all its randomness (placement, size, colour, speed,
 * phase) is drawn from {@code rng} here, so the returned performer is a pure function of time.
 */
@FunctionalInterface
public interface ActionRecipe {
    /**
     * @param stage where the performer may act and the scene's palette
     * @param duration seconds the performance lasts (its local time runs from 0 to this)
     */
    Performer create(Stage stage, double duration, SplittableRandom rng);

    /** Times {@code first + k * every} (k any integer) that fall in [0, duration]. */
    static double[] periodic(double first, double every, double duration) {
        double t = first - Math.floor(first / every) * every;
        int n = t > duration ? 0 : (int) Math.floor((duration - t) / every) + 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = t + i * every;
        }
        return out;
    }
}
