package dev.kinema.synth;

/**
 * Which senses can tell a class from the others of a dataset ({@link KinemaMotion#evidence}): the
 * split of the audio-visual comparison. It depends on the set, not the class alone: {@code
 * bouncing_ball_rubber} is {@link #SOUND} next to {@code bouncing_ball_metal}, whose frames are its
 * own, but {@link #EITHER} in a set with no other ball.
 */
public enum Evidence {
    /** Another class sounds the same, none looks the same: the frames tell it, the soundtrack cannot. */
    VISUAL,
    /** Another class looks the same, none sounds the same: the soundtrack tells it, the frames cannot. */
    SOUND,
    /** Another class looks the same and another sounds the same: only the two senses together tell it. */
    BOTH,
    /** No other class looks or sounds the same: either sense alone tells it. */
    EITHER;

    static Evidence of(boolean looksAlike, boolean soundsAlike) {
        if (looksAlike) {
            return soundsAlike ? BOTH : SOUND;
        }
        return soundsAlike ? VISUAL : EITHER;
    }

    /** The lower-case name used in tables and JSON. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
