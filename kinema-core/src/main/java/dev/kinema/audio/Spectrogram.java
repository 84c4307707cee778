package dev.kinema.audio;

import dev.kinema.io.FloatTensor;
import java.util.Objects;

/**
 * A real time-frequency picture: {@code bins} rows (frequencies, or mel bands) by {@code frames}
 * columns, row-major, the layout of torchaudio's {@code (..., freq, time)} output.
 */
public record Spectrogram(float[] values, int bins, int frames) {
    public Spectrogram {
        Objects.requireNonNull(values, "values");
        if ((long) bins * frames != values.length) {
            throw new IllegalArgumentException(bins + "x" + frames + " spectrogram with " + values.length + " values");
        }
    }

    public float get(int bin, int frame) {
        return values[bin * frames + frame];
    }

    /** As a {@code [bins, frames]} tensor (for {@code .npy} files). */
    public FloatTensor toTensor() {
        return new FloatTensor(new long[] {bins, frames}, values);
    }

    /** {@code log(x + offset)} of every value: torchaudio users' log-mel (offset 1e-6). */
    public Spectrogram log(double offset) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(values[i] + offset);
        }
        return new Spectrogram(out, bins, frames);
    }

    /**
     * The same spectrogram with exactly {@code target} columns: the last ones cut, or columns of
     * {@code fill} appended (e.g. the log of silence, so clips of slightly different spans batch together).
     */
    public Spectrogram withFrames(int target, float fill) {
        if (target <= 0) {
            throw new IllegalArgumentException("a spectrogram needs at least one frame, got " + target);
        }
        if (target == frames) {
            return this;
        }
        float[] out = new float[bins * target];
        for (int b = 0; b < bins; b++) {
            for (int t = 0; t < target; t++) {
                out[b * target + t] = t < frames ? values[b * frames + t] : fill;
            }
        }
        return new Spectrogram(out, bins, target);
    }
}
