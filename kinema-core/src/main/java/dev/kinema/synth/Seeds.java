package dev.kinema.synth;

import java.nio.charset.StandardCharsets;

/** Deterministic seed derivation, so that what a video shows depends only on its own identity. */
final class Seeds {
    private Seeds() {}

    /** SplitMix64's finaliser applied to a combination of {@code a} and {@code b}. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A stable 64-bit hash of a string (FNV-1a), independent of {@link String#hashCode}'s spec. */
    static long of(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
