package dev.kinema.synth;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a clip shows: a static background, a list of actors in drawing order (labelled actors and
 * unlabelled distractors), camera jitter and pixel noise.
 *
 * <p>Kinema-Motion's trimmed clips have one labelled actor spanning the whole clip, but nothing here
 * assumes that: an untrimmed video is a scene whose labelled actors have shorter spans with
 * background in between, and a multi-actor video is one with several labelled actors, each
 * reporting its own box per frame through {@link #boxes}.
 */
public final class Scene {
    private final double aspect;
    private final double duration;
    private final Background background;
    private final CameraShake camera;
    private final List<Actor> layers;
    private final List<Actor> actors;
    private final double noiseSigma;
    private final long noiseSeed;

    Scene(double aspect, double duration, Background background, CameraShake camera, List<Actor> layers,
            double noiseSigma, long noiseSeed) {
        this.aspect = aspect;
        this.duration = duration;
        this.background = Objects.requireNonNull(background, "background");
        this.camera = Objects.requireNonNull(camera, "camera");
        this.layers = List.copyOf(layers);
        this.actors = this.layers.stream().filter(Actor::isLabelled).toList();
        this.noiseSigma = noiseSigma;
        this.noiseSeed = noiseSeed;
    }

    /** Width over height of the world. */
    public double aspect() {
        return aspect;
    }

    /** Seconds the scene lasts. */
    public double duration() {
        return duration;
    }

    /** The labelled actors, in drawing order; {@link ActorBox#actor()} indexes this list. */
    public List<Actor> actors() {
        return actors;
    }

    /** Every actor, distractors included, in drawing order (back to front). */
    public List<Actor> layers() {
        return layers;
    }

    /** Standard deviation of the per-pixel noise, in 8-bit levels. */
    public double noiseSigma() {
        return noiseSigma;
    }

    /** The same scene without its labelled actors: what the frame would show if nobody acted. */
    public Scene withoutActors() {
        return new Scene(aspect, duration, background, camera,
                layers.stream().filter(a -> !a.isLabelled()).toList(), noiseSigma, noiseSeed);
    }

    /** The same scene without pixel noise: for exact comparisons of what was drawn. */
    public Scene withoutNoise() {
        return new Scene(aspect, duration, background, camera, layers, 0, noiseSeed);
    }

    /** Scene times of the labelled actors' audible events, ascending. */
    public double[] eventTimes() {
        return actors.stream().flatMapToDouble(a -> Arrays.stream(a.eventTimes()))
                .filter(t -> t >= 0 && t <= duration).sorted().toArray();
    }

    /** Boxes of the visible labelled actors at scene time {@code t}, in pixels of a {@code width}×{@code height} frame. */
    public List<ActorBox> boxes(double t, int width, int height) {
        double scale = height;
        Point2D.Double shift = camera.offset(t);
        List<ActorBox> out = new ArrayList<>();
        for (int i = 0; i < actors.size(); i++) {
            Rectangle2D b = actors.get(i).bounds(t);
            if (b == null) {
                continue;
            }
            double x0 = Math.max(0, (b.getMinX() + shift.x) * scale);
            double y0 = Math.max(0, (b.getMinY() + shift.y) * scale);
            double x1 = Math.min(width, (b.getMaxX() + shift.x) * scale);
            double y1 = Math.min(height, (b.getMaxY() + shift.y) * scale);
            if (x1 > x0 && y1 > y0) {
                out.add(new ActorBox(i, actors.get(i).action(), x0, y0, x1 - x0, y1 - y0));
            }
        }
        return out;
    }

    Background background() {
        return background;
    }

    CameraShake camera() {
        return camera;
    }

    long noiseSeed() {
        return noiseSeed;
    }
}
