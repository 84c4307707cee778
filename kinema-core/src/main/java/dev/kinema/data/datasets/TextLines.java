package dev.kinema.data.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads annotation text files: UTF-8 (bad bytes replaced), BOM dropped, CR/LF/CRLF alike. */
final class TextLines {
    /** One non-blank line, its 1-based number and its text without the line end. */
    record Line(int number, String text) {
        String[] fields() {
            return WHITESPACE.split(text.strip());
        }
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TextLines() {}

    /** The non-blank lines of {@code file}, numbered as in the file. */
    static List<Line> read(Path file) throws IOException {
        List<Line> out = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String s;
            int n = 0;
            while ((s = in.readLine()) != null) {
                n++;
                if (n == 1 && s.startsWith("\uFEFF")) {
                    s = s.substring(1);
                }
                if (!s.isBlank()) {
                    out.add(new Line(n, s));
                }
            }
        }
        return out;
    }

    /** The first non-blank line, or null for an empty file. */
    static Line first(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String s;
            int n = 0;
            while ((s = in.readLine()) != null && n < 1000) {
                n++;
                if (n == 1 && s.startsWith("\uFEFF")) {
                    s = s.substring(1);
                }
                if (!s.isBlank()) {
                    return new Line(n, s);
                }
            }
        }
        return null;
    }

    static boolean isInt(String s) {
        return parseInt(s) != null;
    }

    /** A base-10 int with an optional sign, or null. */
    static Integer parseInt(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
