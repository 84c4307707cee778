package dev.kinema.io;

import java.util.OptionalInt;

/** Settings given as JVM system properties ({@code -Dkinema.x=N}), read one way with one kind of error. */
public final class SystemSettings {
    private SystemSettings() {}

    /**
     * The whole number the system property {@code name} holds, if it is set; empty when unset or blank.
     *
     * @throws IllegalArgumentException naming the property when it is not a whole number of at least {@code min}
     */
    public static OptionalInt wholeNumber(String name, int min) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException("-D" + name + " must be a whole number >= " + min + ", got '" + value + "'");
    }
}
