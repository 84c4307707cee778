package dev.kinema.nn;

/** The three axes of a clip that a receptive field is measured along, in the order they are printed. */
public enum Axis {
    T,
    H,
    W
}
