package dev.kinema.synth;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.Objects;

/**
 * A performer placed on a scene's timeline: it shows from {@code start} to {@code end} (scene
 * seconds) and carries an action label, or none for a distractor.
 *
 * <p>A reversed actor plays its performer backwards within its span: scene time {@code start + u}
 * shows the performer at local time {@code (end - start) - u}. Time-reversed classes are built this
 * way, so reversal is a property of one actor and still works when several actors with different
 * spans share an untrimmed scene.
 */
public final class Actor {
    private final String action;
    private final double start;
    private final double end;
    private final Performer performer;
    private final boolean reversed;

    /**
     * @param action the label, or null for a distractor that is drawn but not annotated
     * @param start first scene second the actor is visible
     * @param end last scene second the actor is visible
     */
    public Actor(String action, double start, double end, Performer performer, boolean reversed) {
        if (!(end >= start)) {
            throw new IllegalArgumentException("actor span must have end >= start, got " + start + ".." + end);
        }
        this.action = action;
        this.start = start;
        this.end = end;
        this.performer = Objects.requireNonNull(performer, "performer");
        this.reversed = reversed;
    }

    /** The action label, or null for a distractor. */
    public String action() {
        return action;
    }

    public boolean isLabelled() {
        return action != null;
    }

    public double start() {
        return start;
    }

    public double end() {
        return end;
    }

    public boolean reversed() {
        return reversed;
    }

    public Performer performer() {
        return performer;
    }

    public boolean isActive(double sceneTime) {
        return sceneTime >= start && sceneTime <= end;
    }

    /** The performer's local time shown at {@code sceneTime}. */
    public double localTime(double sceneTime) {
        double u = sceneTime - start;
        return reversed ? (end - start) - u : u;
    }

    void draw(Graphics2D g, double sceneTime) {
        if (isActive(sceneTime)) {
            performer.draw(g, localTime(sceneTime));
        }
    }

    /** World-space box at {@code sceneTime}, or null when the actor is inactive or invisible. */
    public Rectangle2D bounds(double sceneTime) {
        return isActive(sceneTime) ? performer.bounds(localTime(sceneTime)) : null;
    }

    /** Joint positions at {@code sceneTime} (see {@link Performer#keypoints}); empty when inactive. */
    public Point2D[] keypoints(double sceneTime) {
        return isActive(sceneTime) ? performer.keypoints(localTime(sceneTime)) : new Point2D[0];
    }

    /** Scene times of the performer's audible events, ascending, mapped through the reversal. */
    public double[] eventTimes() {
        double[] local = performer.eventTimes();
        double span = end - start;
        double[] out = new double[local.length];
        for (int i = 0; i < local.length; i++) {
            out[i] = start + (reversed ? span - local[i] : local[i]);
        }
        Arrays.sort(out);
        return out;
    }
}
