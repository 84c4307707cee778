package dev.kinema.synth;

import dev.kinema.audio.SeparationSpectra;
import dev.kinema.audio.WavFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One sounding-object video: one {@link SoundingObject} on a plain backdrop, placed and sized a
 * little differently each time, playing a performance drawn from the seed; its solo soundtrack
 * (16 kHz mono, with a faint noise floor) is made from the same notes as the picture. Written as an
 * mp4 with that track (AAC) and, beside it, the same track as a WAV ({@code <name>.wav}), the clean
 * reference that mixtures are made of and scored against.
 */
public final class SoundingObjectVideo {
    /** The soundtrack's rate, as Kinema-Motion's. */
    public static final int SAMPLE_RATE = EventAudio.SAMPLE_RATE;

    private final SoundingObject object;
    private final ClipSpec spec;
    private final List<SoundingObject.Note> notes;
    private final Color tint;
    private final Color backdrop;
    private final double x;
    private final double y;
    private final double scale;
    private final long seed;

    public SoundingObjectVideo(SoundingObject object, ClipSpec spec, long seed) {
        this.object = Objects.requireNonNull(object, "object");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        this.notes = List.copyOf(object.perform(spec.duration(), rng.split()));
        this.tint = object.tint(rng);
        int grey = rng.nextInt(30, 110);
        this.backdrop = new Color(grey + rng.nextInt(0, 30), grey + rng.nextInt(0, 30), grey + rng.nextInt(0, 30));
        this.scale = rng.nextDouble(0.75, 0.95);
        this.x = rng.nextDouble(0, 1 - scale);
        this.y = rng.nextDouble(0, 1 - scale);
    }

    public SoundingObject object() {
        return object;
    }

    /** When and what it plays. */
    public List<SoundingObject.Note> notes() {
        return notes;
    }

    public ClipSpec spec() {
        return spec;
    }

    /** The solo soundtrack, mono at {@link #SAMPLE_RATE}, in [-1, 1]. */
    public float[] audio() {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x50D1L));
        float[] out = new float[(int) Math.round(spec.duration() * SAMPLE_RATE)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((rng.nextDouble() - 0.5) * 0.004);
        }
        object.sound(notes, out, SAMPLE_RATE, rng);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(-1f, Math.min(1f, out[i]));
        }
        return out;
    }

    /** Frame {@code i} as H×W×3 RGB bytes into {@code rgb}. */
    public void renderFrame(int i, byte[] rgb) {
        BufferedImage image = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(backdrop);
            g.fillRect(0, 0, spec.width(), spec.height());
            g.scale(spec.width(), spec.height());
            g.translate(x, y);
            g.scale(scale, scale);
            object.draw(g, spec.time(i), notes, tint);
        } finally {
            g.dispose();
        }
        int[] argb = image.getRGB(0, 0, spec.width(), spec.height(), null, 0, spec.width());
        for (int p = 0; p < argb.length; p++) {
            rgb[3 * p] = (byte) (argb[p] >> 16);
            rgb[3 * p + 1] = (byte) (argb[p] >> 8);
            rgb[3 * p + 2] = (byte) argb[p];
        }
    }

    /** Writes {@code file} (mp4 with the AAC soundtrack) and the solo WAV beside it; returns the WAV. */
    public Path write(Path file) {
        float[] audio = audio();
        VideoWithSound.write(file, spec, this::renderFrame, audio, SAMPLE_RATE);
        Path wav = soloTrack(file);
        try {
            return WavFiles.write(wav, audio, SAMPLE_RATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + wav + ": " + e.getMessage(), e);
        }
    }

    /** Where the solo WAV of a video lies: beside it, {@code <name>.wav}. */
    public static Path soloTrack(Path video) {
        return SeparationSpectra.soloTrack(video);
    }
}
