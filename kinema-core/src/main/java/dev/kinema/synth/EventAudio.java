package dev.kinema.synth;

import java.util.SplittableRandom;

/**
 * The optional soundtrack: a short decaying sound with a noisy attack at each contact event (a
 * clap, a footfall, a bounce, a catch, a knock) over a faint noise floor, so that audio-visual models
 * have a synchronised signal to find. The sound's {@link Timbre} belongs to the class; {@link
 * Timbre#TONE}, the original one, draws its random numbers exactly as before the other timbres
 * existed. Mono float PCM in [-1, 1].
 */
final class EventAudio {
    static final int SAMPLE_RATE = 16_000;

    private EventAudio() {}

    static float[] render(double[] events, double duration, int sampleRate, long seed, Timbre timbre) {
        SplittableRandom rng = new SplittableRandom(seed);
        Voice voice = Voice.draw(timbre, rng);
        float[] out = new float[(int) Math.round(duration * sampleRate)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((rng.nextDouble() - 0.5) * 0.006);
        }
        int ring = timbre == Timbre.SILENT ? 0 : (int) (5 * voice.decay() * sampleRate);
        for (double e : events) {
            int start = (int) Math.round(e * sampleRate);
            for (int k = 0; k < ring && start + k < out.length; k++) {
                if (start + k < 0) {
                    continue;
                }
                double time = k / (double) sampleRate;
                out[start + k] += (float) voice.sample(time, Math.exp(-time / voice.decay()), rng);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(-1f, Math.min(1f, out[i]));
        }
        return out;
    }

    /** One clip's sound: its timbre with the pitch and decay drawn for this clip. */
    private record Voice(Timbre timbre, double pitch, double decay) {
        static Voice draw(Timbre timbre, SplittableRandom rng) {
            return switch (timbre) {
                // SILENT draws like TONE so that a silent class's noise floor is the one it always had.
                case TONE, SILENT -> new Voice(timbre, rng.nextDouble(220, 900), rng.nextDouble(0.025, 0.06));
                case THUD -> new Voice(timbre, rng.nextDouble(70, 130), rng.nextDouble(0.03, 0.05));
                case RING -> new Voice(timbre, rng.nextDouble(1500, 2200), rng.nextDouble(0.15, 0.3));
                case KNOCK -> new Voice(timbre, rng.nextDouble(350, 600), rng.nextDouble(0.008, 0.015));
            };
        }

        /** The sound {@code time} seconds after an event, whose envelope has fallen to {@code env}. */
        double sample(double time, double env, SplittableRandom rng) {
            double w = 2 * Math.PI * pitch * time;
            double noise = rng.nextDouble() * 2 - 1;
            return switch (timbre) {
                case TONE -> {
                    // Written exactly as before the other timbres, so the floating-point results are too.
                    double tone = Math.sin(2 * Math.PI * pitch * time) + 0.5 * Math.sin(2 * Math.PI * 2.01 * pitch * time);
                    double click = noise * Math.pow(env, 4);
                    yield 0.45 * env * tone + 0.3 * click;
                }
                case THUD -> 0.7 * env * Math.sin(w) + 0.08 * noise * Math.pow(env, 8);
                case RING -> 0.3 * env * (Math.sin(w) + 0.6 * Math.sin(2.76 * w)) + 0.05 * noise * Math.pow(env, 40);
                case KNOCK -> 0.35 * env * (Math.sin(w) + 0.4 * Math.sin(1.7 * w)) + 0.45 * noise * Math.pow(env, 2);
                case SILENT -> 0;
            };
        }
    }
}
