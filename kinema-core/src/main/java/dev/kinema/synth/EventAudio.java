package dev.kinema.synth;

import java.util.SplittableRandom;

/**
 * The optional soundtrack: a short decaying tone with a noisy attack at each contact event (a clap,
 * a footfall, a bounce, a catch) over a faint noise floor, so that audio-visual models have a
 * synchronised signal to find. Mono float PCM in [-1, 1].
 */
final class EventAudio {
    static final int SAMPLE_RATE = 16_000;

    private EventAudio() {}

    static float[] render(double[] events, double duration, int sampleRate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double pitch = rng.nextDouble(220, 900);
        double decay = rng.nextDouble(0.025, 0.06);
        float[] out = new float[(int) Math.round(duration * sampleRate)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((rng.nextDouble() - 0.5) * 0.006);
        }
        int ring = (int) (5 * decay * sampleRate);
        for (double e : events) {
            int start = (int) Math.round(e * sampleRate);
            for (int k = 0; k < ring && start + k < out.length; k++) {
                if (start + k < 0) {
                    continue;
                }
                double time = k / (double) sampleRate;
                double env = Math.exp(-time / decay);
                double tone = Math.sin(2 * Math.PI * pitch * time) + 0.5 * Math.sin(2 * Math.PI * 2.01 * pitch * time);
                double click = (rng.nextDouble() * 2 - 1) * Math.pow(env, 4);
                out[start + k] += (float) (0.45 * env * tone + 0.3 * click);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(-1f, Math.min(1f, out[i]));
        }
        return out;
    }
}
