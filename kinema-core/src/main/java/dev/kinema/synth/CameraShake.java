package dev.kinema.synth;

import java.awt.geom.Point2D;
import java.util.SplittableRandom;

/**
 * Hand-held camera jitter: the whole picture (background and actors) shifts by a sum of two slow
 * sinusoids per axis. The phases are uniform, so the offset's distribution is the same at every
 * time and under time reversal; jitter therefore never hints at a class or at the direction of time.
 */
final class CameraShake {
    /** Largest offset in world units (frame heights), for sizing the background margin. */
    static final double MAX_AMPLITUDE = 0.02;

    private final double[] amp = new double[4];
    private final double[] freq = new double[4];
    private final double[] phase = new double[4];
    /** When set, the shake plays backwards over [0, reverseOver]. */
    private final double reverseOver;

    private CameraShake(CameraShake forward, double reverseOver) {
        System.arraycopy(forward.amp, 0, amp, 0, 4);
        System.arraycopy(forward.freq, 0, freq, 0, 4);
        System.arraycopy(forward.phase, 0, phase, 0, 4);
        this.reverseOver = reverseOver;
    }

    private CameraShake(SplittableRandom rng) {
        reverseOver = Double.NaN;
        double strength = rng.nextDouble() < 0.25 ? 0 : rng.nextDouble(0, MAX_AMPLITUDE / 2);
        for (int i = 0; i < 4; i++) {
            amp[i] = strength * rng.nextDouble(0.3, 1.0);
            freq[i] = rng.nextDouble(0.3, 2.5);
            phase[i] = rng.nextDouble(2 * Math.PI);
        }
    }

    static CameraShake random(SplittableRandom rng) {
        return new CameraShake(rng);
    }

    /** The same shake played backwards over a scene of {@code duration} seconds. */
    CameraShake reversed(double duration) {
        return new CameraShake(this, duration);
    }

    /** Camera offset at scene time {@code t}, world units. */
    Point2D.Double offset(double sceneTime) {
        double t = Double.isNaN(reverseOver) ? sceneTime : reverseOver - sceneTime;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < 2; i++) {
            dx += amp[i] * Math.sin(2 * Math.PI * freq[i] * t + phase[i]);
            dy += amp[i + 2] * Math.sin(2 * Math.PI * freq[i + 2] * t + phase[i + 2]);
        }
        return new Point2D.Double(dx, dy);
    }
}
