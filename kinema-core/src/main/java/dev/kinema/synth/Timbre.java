package dev.kinema.synth;

/**
 * What a class's contact events sound like ({@link SynthSample#audio}). Every class that existed
 * before the sound classes keeps {@link #TONE} (or {@link #SILENT} if it has no events), so earlier
 * datasets render the same soundtrack for the same seed. The sound classes pair one motion with two
 * timbres, chosen to lie far apart on the mel scale so that a log-mel network can tell them apart.
 */
public enum Timbre {
    /** The original contact sound: a tone of random pitch (220 to 900 Hz, second partial at 2.01×) with a noisy attack. */
    TONE,
    /** Nothing at the events, only the faint noise floor: a motion without its sound (a mimed knock). */
    SILENT,
    /** A rubber ball's dull thud: 70 to 130 Hz, 30 to 50 ms decay, a soft attack. */
    THUD,
    /**
     * A metal ball's ring: 1.5 to 2.2 kHz with a struck bar's inharmonic partial at 2.76×, 150 to
     * 300 ms decay, so it rings on between bounces.
     */
    RING,
    /** Knuckles on wood: 350 to 600 Hz, 8 to 15 ms decay, a sharp click. */
    KNOCK;

    /** The lower-case name used in {@code classes.json} and the docs. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
