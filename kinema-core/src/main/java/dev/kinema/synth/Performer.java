package dev.kinema.synth;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;

/**
 * Something that moves in a scene: a figure doing an action, a bouncing ball, a distractor.
 *
 * <p>Everything is in world units: the frame is {@code aspect} units wide and 1 unit high, y down,
 * so a scene looks the same at every resolution. Times are local: 0 is the moment the performer's
 * {@link Actor} starts. A performer is a pure function of time (no state changes while drawing),
 * which is what lets an {@link Actor} play it backwards.
 */
public interface Performer {
    /** Draws the performer as it is at local time {@code t}; the graphics are in world units. */
    void draw(Graphics2D g, double t);

    /** The world-space box around what {@link #draw} paints at {@code t}, or null if nothing shows. */
    Rectangle2D bounds(double t);

    /** Local times of audible contact events (claps, footfalls, bounces), ascending; empty if silent. */
    default double[] eventTimes() {
        return new double[0];
    }

    /**
     * World positions of a figure's joints at {@code t}, indexed by {@link Skeleton.Joint} ordinal
     * (the 13 lights of a point-light display), or an empty array when the performer has no skeleton.
     */
    default Point2D[] keypoints(double t) {
        return new Point2D[0];
    }
}
