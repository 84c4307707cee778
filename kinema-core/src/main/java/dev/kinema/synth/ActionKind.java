package dev.kinema.synth;

/**
 * Whether a class can be told from one frame ({@link #APPEARANCE}) or only from how frames change
 * ({@link #MOTION}). Experiments report accuracy split by this, so that a single-frame model's
 * strength on appearance classes does not hide its blindness to motion.
 */
public enum ActionKind {
    /** One frame suffices: the class has its own props, pose or object family. */
    APPEARANCE,
    /** Frames are distributed exactly as in the partner class; only their order tells them apart. */
    MOTION,
    /**
     * Two sub-actions seconds apart, the same two as in the partner class in the other order: only a
     * model that relates the start of a video to its end tells them apart (long-term structure).
     */
    ORDER,
    /**
     * Frames rendered exactly as in the partner class (for a seed, byte for byte); only the
     * soundtrack tells them apart, so these classes need {@code --audio} (see {@link Timbre}).
     */
    SOUND;

    /** The lower-case name used in {@code classes.json}: "appearance", "motion", "order" or "sound". */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
