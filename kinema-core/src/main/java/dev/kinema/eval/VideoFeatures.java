package dev.kinema.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * A video's feature vector, the "C3D features" use of a trained network (Tran et al. 2015): the
 * features its classifier takes (pre-logits: globally pooled, through the head's hidden layers where
 * it has them) of K uniformly spaced centre-cropped clips, and their average over the clips.
 *
 * @param video the video
 * @param mean the clips' features averaged, D floats
 * @param clips each clip's span and features, in time order
 */
public record VideoFeatures(Path video, float[] mean, List<ClipFeatures> clips) {
    /** One clip's span (seconds) and its D features. */
    public record ClipFeatures(double start, double end, float[] features) {}

    /** D, the length of every feature vector. */
    public int dimension() {
        return mean.length;
    }
}
