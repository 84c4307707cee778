package dev.kinema.synth;

import dev.kinema.data.annotations.Segment;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Untrimmed Kinema-Motion: long videos in which a few action instances of varying length happen on
 * background activity, for temporal action localisation. Each video has 1 to {@code maxInstances}
 * instances (fewer when they would not fit), of lengths uniform in the given range, at random
 * non-overlapping times with at least a second between them; all the while the background holds
 * drifting distractor shapes, one or two idle figures (a standing figure that does not move: a
 * person who is present but not acting) and the camera's drift and shake. The ground truth is each
 * instance's span in seconds.
 */
public final class UntrimmedMotion {
    /** Seconds kept free between two instances, so that each is a separate segment. */
    static final double MIN_GAP = 1.0;

    private UntrimmedMotion() {}

    /**
     * One untrimmed video.
     *
     * @param id the video id (file name without extension)
     * @param segments the action instances, in time order, in seconds
     */
    public record Video(String id, SceneClip clip, List<Segment> segments) {}

    /**
     * Plans video {@code id}: its scene and its ground truth.
     *
     * @param classes the classes instances are drawn from (uniformly)
     * @param instanceSeconds {min, max} length of an instance
     */
    public static Video sample(String id, List<ActionClass> classes, ClipSpec spec, long seed, int maxInstances,
            double[] instanceSeconds) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("untrimmed videos need at least one action class");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Backdrop backdrop = Backdrop.draw(rng);
        Palette palette = backdrop.palette();
        double duration = spec.duration();
        Stage stage = Stage.fullFrame(spec.aspect(), palette);

        // Instances: lengths first, then the free time shared out among the gaps at random.
        int wanted = 1 + rng.nextInt(maxInstances);
        List<Double> lengths = new ArrayList<>();
        double used = 0;
        for (int i = 0; i < wanted; i++) {
            double len = rng.nextDouble(instanceSeconds[0], instanceSeconds[1] + 1e-9);
            if (used + len + MIN_GAP * (lengths.size() + 2) > duration) {
                break;
            }
            lengths.add(len);
            used += len;
        }
        if (lengths.isEmpty()) {
            throw new IllegalArgumentException(String.format("a %.1f s video cannot hold an instance of %.1f..%.1f s",
                    duration, instanceSeconds[0], instanceSeconds[1]));
        }
        int gaps = lengths.size() + 1;
        double[] weights = new double[gaps];
        double total = 0;
        for (int g = 0; g < gaps; g++) {
            weights[g] = rng.nextDouble(0.2, 1.0);
            total += weights[g];
        }
        double free = duration - used - MIN_GAP * gaps;
        List<Actor> layers = new ArrayList<>();
        int distractors = 1 + rng.nextInt(3);
        for (int i = 0; i < distractors; i++) {
            layers.add(new Actor(null, 0, duration, ObjectActions.drift(stage, duration, rng.split()), false));
        }
        int idle = 1 + rng.nextInt(2);
        for (int i = 0; i < idle; i++) {
            Performer standing = FigureActions.sitDown(stage, duration, rng.split());
            layers.add(new Actor(null, 0, duration, still(standing, 0), false));
        }
        List<Segment> segments = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < lengths.size(); i++) {
            t += MIN_GAP + free * weights[i] / total;
            ActionClass c = classes.get(rng.nextInt(classes.size()));
            double end = t + lengths.get(i);
            layers.add(KinemaMotion.actor(c, stage, t, end, rng.split()));
            segments.add(Segment.truth(id, round(t), round(end), c.name()));
            t = end;
        }
        double noise = rng.nextDouble() < 0.2 ? 0 : rng.nextDouble(1, 6);
        Scene scene = new Scene(spec.aspect(), duration, backdrop.background(), backdrop.camera(), layers, noise, rng.nextLong());
        return new Video(id, new SceneClip(scene, spec, 0), List.copyOf(segments));
    }

    /** Milliseconds are plenty for annotations, and keep the JSON readable. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** A performer frozen at local time {@code at}: present, but not acting. */
    static Performer still(Performer p, double at) {
        return new Performer() {
            @Override
            public void draw(Graphics2D g, double t) {
                p.draw(g, at);
            }

            @Override
            public Rectangle2D bounds(double t) {
                return p.bounds(at);
            }

            @Override
            public Point2D[] keypoints(double t) {
                return p.keypoints(at);
            }
        };
    }
}
