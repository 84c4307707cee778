package dev.kinema.synth;

import java.util.Objects;
import java.util.Optional;

/**
 * One class of the Kinema-Motion dataset.
 *
 * @param name the label, also the folder name and the {@code label} column of {@code kinetics.csv}
 * @param index the class index: the line of {@code labels.txt} (0-based)
 * @param kind whether a single frame suffices to recognise it
 * @param pairedWith for a motion class, the class whose frames it shares (its time reversal); for an order
 *     class, the class with the same two sub-actions in the other order; otherwise null
 * @param description one sentence for people
 */
public record ActionClass(String name, int index, ActionKind kind, String pairedWith, String description) {
    public ActionClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if ((kind != ActionKind.APPEARANCE) != (pairedWith != null)) {
            throw new IllegalArgumentException(name + ": every class but an appearance class has a pair partner");
        }
    }

    /** The pair partner, empty for appearance classes. */
    public Optional<String> partner() {
        return Optional.ofNullable(pairedWith);
    }

    public boolean isMotion() {
        return kind == ActionKind.MOTION;
    }
}
