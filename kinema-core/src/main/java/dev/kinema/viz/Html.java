package dev.kinema.viz;

import java.util.Locale;

/** The small pieces of HTML the reports are written with. */
public final class Html {
    private Html() {}

    /** {@code s} safe inside an element or a double-quoted attribute. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A share as a percentage with one decimal ({@code 95.8%}); empty for null. */
    public static String percent(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
