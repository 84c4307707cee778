package dev.kinema.engine;

/** Which of libtorch's CPU kernels run convolutions (and the other oneDNN-backed operators). */
public enum KernelPath {
    /** oneDNN's JIT kernels: fast, but on some processors they crash or compute wrong values. */
    ONEDNN,
    /** libtorch's own CPU kernels with oneDNN switched off: slower, right on every x86-64 processor. */
    REFERENCE;

    /** The setting's spelling: {@code onednn} or {@code reference}. */
    public String setting() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
