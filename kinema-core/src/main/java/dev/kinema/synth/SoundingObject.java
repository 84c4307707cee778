package dev.kinema.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The instruments of the sounding-object videos ({@link SoundingObjectVideo}), each a distinct
 * timbre whose motion says when, and for the violin and flute what, it sounds: the visual cue "The
 * Sound of Pixels" (Zhao et al. 2018) learns to separate a mixture by.
 *
 * <p>Each draws a performance from a seed: notes (start, end, pitch), from which both the picture
 * and the sound are made, so they agree to the sample. Drawing is in a unit square (y down), the
 * caller scales it to the frame.
 */
public enum SoundingObject {
    VIOLIN("violin", "a violin body and a bow: while the bow moves across the strings a bowed harmonic tone"
            + " (sawtooth-like, vibrato) plays, its pitch set by how high on the strings the bow is (220 to 880 Hz);"
            + " the lifted bow is silent"),
    DRUM("drum", "a ball bouncing on a drum: each bounce is a percussive burst (a falling 70 to 140 Hz thump"
            + " and a noise crack) that dies in about 0.1 s"),
    BELL("bell", "a swinging bell: at each end of the swing the clapper strikes and an inharmonic bell tone"
            + " (partials 1, 2.76, 5.40, 8.93 of 400 to 900 Hz) rings for about half a second; the bell flashes"),
    FLUTE("flute", "a flute with five finger holes: while a puff of breath shows at the mouthpiece a breathy"
            + " near-sine tone plays, one semitone lower for each covered hole (660 to 1320 Hz at the open end)");

    /** One sounding event: seconds from the video's start, and its fundamental in Hz. */
    public record Note(double start, double end, double pitch, double position) {}

    private final String label;
    private final String description;

    SoundingObject(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The class name: folder and {@code labels.txt} line. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The object called {@code label} (violin, drum, bell, flute). */
    public static SoundingObject of(String label) {
        for (SoundingObject o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown sounding object '" + label + "' (violin, drum, bell, flute)");
    }

    /** The notes of a performance of {@code duration} seconds, drawn from {@code rng}. */
    List<Note> perform(double duration, SplittableRandom rng) {
        List<Note> notes = new ArrayList<>();
        double t = rng.nextDouble(0.0, 0.2);
        switch (this) {
            case VIOLIN, FLUTE -> {
                while (t < duration) {
                    double length = rng.nextDouble(0.25, 0.6);
                    double position = rng.nextInt(6) / 5.0; // bow height, or covered holes / 5
                    double pitch = this == VIOLIN ? 220 * Math.pow(4, position) : 1320 * Math.pow(2, -5 * position / 12);
                    notes.add(new Note(t, Math.min(duration, t + length), pitch, position));
                    t += length + rng.nextDouble(0.08, 0.3);
                }
            }
            case DRUM -> {
                double period = rng.nextDouble(0.25, 0.45);
                double pitch = rng.nextDouble(70, 140);
                t += period / 2;
                while (t < duration) {
                    notes.add(new Note(t, t + 0.12, pitch, 0));
                    t += period * rng.nextDouble(0.85, 1.15);
                }
            }
            case BELL -> {
                double halfSwing = rng.nextDouble(0.3, 0.5);
                double pitch = rng.nextDouble(400, 900);
                t += halfSwing / 2;
                int side = 0;
                while (t < duration) {
                    notes.add(new Note(t, t + 0.6, pitch, side));
                    side = 1 - side;
                    t += halfSwing;
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return notes;
    }

    /** Adds the sound of {@code notes} to {@code out} (mono, {@code rate} Hz). */
    void sound(List<Note> notes, float[] out, int rate, SplittableRandom rng) {
        for (Note n : notes) {
            int from = (int) Math.round(n.start() * rate);
            int to = Math.min(out.length, (int) Math.round(n.end() * rate));
            double phase = 0;
            for (int i = from; i < to; i++) {
                double time = (i - from) / (double) rate;
                double left = (to - i) / (double) rate;
                double value;
                switch (this) {
                    case VIOLIN -> {
                        phase += 2 * Math.PI * n.pitch() * (1 + 0.006 * Math.sin(2 * Math.PI * 5.5 * time)) / rate;
                        double saw = 0;
                        for (int h = 1; h <= 8; h++) {
                            saw += Math.sin(h * phase) / h;
                        }
                        value = 0.3 * saw * ramp(time, 0.03) * ramp(left, 0.03);
                    }
                    case FLUTE -> {
                        phase += 2 * Math.PI * n.pitch() / rate;
                        double breath = (rng.nextDouble() * 2 - 1) * 0.08;
                        value = (0.45 * Math.sin(phase) + 0.08 * Math.sin(2 * phase) + breath) * ramp(time, 0.05)
                                * ramp(left, 0.04);
                    }
                    case DRUM -> {
                        double pitch = n.pitch() * (1 + 1.5 * Math.exp(-time / 0.01));
                        phase += 2 * Math.PI * pitch / rate;
                        double envelope = Math.exp(-time / 0.03);
                        value = 0.7 * envelope * Math.sin(phase) + 0.35 * Math.pow(envelope, 3) * (rng.nextDouble() * 2 - 1);
                    }
                    case BELL -> {
                        double w = 2 * Math.PI * n.pitch() * time;
                        value = Math.exp(-time / 0.2) * (0.3 * Math.sin(w) + 0.2 * Math.sin(2.76 * w)
                                + 0.12 * Math.sin(5.40 * w) * Math.exp(-time / 0.08) + 0.08 * Math.sin(8.93 * w)
                                * Math.exp(-time / 0.05)) * ramp(time, 0.002);
                    }
                    default -> throw new IllegalStateException(name());
                }
                out[i] += (float) value;
            }
        }
    }

    private static double ramp(double seconds, double length) {
        return Math.min(1, seconds / length);
    }

    /** Draws the object at time {@code t} of {@code notes}, in the unit square, in colour {@code tint}. */
    void draw(Graphics2D g, double t, List<Note> notes, Color tint) {
        Note playing = null;
        Note last = null;
        for (Note n : notes) {
            if (n.start() <= t) {
                last = n;
                if (t < n.end()) {
                    playing = n;
                }
            }
        }
        g.setStroke(new BasicStroke(0.02f));
        switch (this) {
            case VIOLIN -> {
                g.setColor(tint);
                g.fill(new Ellipse2D.Double(0.3, 0.15, 0.4, 0.35));
                g.fill(new Ellipse2D.Double(0.25, 0.45, 0.5, 0.45));
                g.setColor(Color.DARK_GRAY);
                g.fill(new Rectangle2D.Double(0.46, 0.05, 0.08, 0.85));
                g.setColor(Color.LIGHT_GRAY);
                for (int s = 0; s < 4; s++) {
                    g.draw(new Rectangle2D.Double(0.465 + s * 0.02, 0.05, 0.001, 0.85));
                }
                // the bow: across the strings while a note plays (sliding), lifted to the right when silent
                double y = 0.8 - 0.6 * (playing != null ? playing.position() : last != null ? last.position() : 0.5);
                double x;
                if (playing != null) {
                    double progress = (t - playing.start()) / (playing.end() - playing.start());
                    boolean down = notes.indexOf(playing) % 2 == 0;
                    x = 0.5 + 0.3 * (down ? progress - 0.5 : 0.5 - progress);
                } else {
                    x = 0.9;
                }
                g.setColor(new Color(240, 230, 200));
                g.fill(new Rectangle2D.Double(x - 0.3, y - 0.02, 0.6, 0.04));
            }
            case FLUTE -> {
                g.setColor(tint);
                g.fill(new Rectangle2D.Double(0.08, 0.45, 0.84, 0.1));
                int covered = (int) Math.round(5 * (playing != null ? playing.position() : 0));
                for (int h = 0; h < 5; h++) {
                    g.setColor(h < covered ? Color.BLACK : Color.WHITE);
                    g.fill(new Ellipse2D.Double(0.35 + h * 0.1, 0.47, 0.06, 0.06));
                }
                if (playing != null) {
                    double puff = 0.08 + 0.04 * Math.sin(40 * t);
                    g.setColor(new Color(200, 230, 255));
                    g.fill(new Ellipse2D.Double(0.12 - puff / 2, 0.3 - puff / 2, puff, puff));
                    g.fill(new Ellipse2D.Double(0.2 - puff / 3, 0.25 - puff / 3, puff / 1.5, puff / 1.5));
                }
            }
            case DRUM -> {
                g.setColor(tint);
                g.fill(new Rectangle2D.Double(0.25, 0.72, 0.5, 0.2));
                g.setColor(new Color(235, 225, 205));
                g.fill(new Ellipse2D.Double(0.25, 0.66, 0.5, 0.12));
                // the ball: a parabola between bounces, on the drumhead at each note's start
                double previous = last != null ? last.start() : t - 0.3;
                Note next = null;
                for (Note n : notes) {
                    if (n.start() > t) {
                        next = n;
                        break;
                    }
                }
                double following = next != null ? next.start() : previous + 0.35;
                double s = Math.max(0, Math.min(1, (t - previous) / (following - previous)));
                double height = 0.55 * 4 * s * (1 - s);
                g.setColor(Color.WHITE);
                g.fill(new Ellipse2D.Double(0.42, 0.56 - height, 0.16, 0.16));
            }
            case BELL -> {
                double halfSwing = notes.size() > 1 ? notes.get(1).start() - notes.get(0).start() : 0.4;
                double first = notes.isEmpty() ? 0 : notes.get(0).start();
                // at an end of the swing at each strike: angle = amplitude * cos(pi * (t - first) / halfSwing)
                double angle = 0.5 * Math.cos(Math.PI * (t - first) / halfSwing);
                Graphics2D bell = (Graphics2D) g.create();
                bell.rotate(angle, 0.5, 0.12);
                boolean flash = last != null && t - last.start() < 0.1;
                bell.setColor(flash ? tint.brighter().brighter() : tint);
                Path2D.Double shape = new Path2D.Double();
                shape.moveTo(0.4, 0.2);
                shape.curveTo(0.38, 0.35, 0.3, 0.55, 0.22, 0.65);
                shape.lineTo(0.78, 0.65);
                shape.curveTo(0.7, 0.55, 0.62, 0.35, 0.6, 0.2);
                shape.closePath();
                bell.fill(shape);
                bell.setColor(Color.DARK_GRAY);
                bell.fill(new Ellipse2D.Double(0.46, 0.62, 0.08, 0.08));
                bell.dispose();
                g.setColor(Color.DARK_GRAY);
                g.fill(new Rectangle2D.Double(0.45, 0.08, 0.1, 0.05));
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** The object's colour, a little different each video. */
    Color tint(SplittableRandom rng) {
        Color base = switch (this) {
            case VIOLIN -> new Color(150, 75, 20);
            case DRUM -> new Color(190, 30, 40);
            case BELL -> new Color(200, 160, 30);
            case FLUTE -> new Color(170, 175, 190);
        };
        int d = rng.nextInt(-20, 21);
        return new Color(clamp(base.getRed() + d), clamp(base.getGreen() + d), clamp(base.getBlue() + d));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
