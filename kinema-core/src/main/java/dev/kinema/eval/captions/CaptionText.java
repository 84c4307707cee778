package dev.kinema.eval.captions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How caption metrics split a sentence into words: lower case, punctuation removed, split on white
 * space. This stands in for the COCO evaluator's PTB tokenizer (a Java program Kinema does not ship),
 * and agrees with it on plain sentences such as Kinema-Motion's; answers are compared the same way.
 */
public final class CaptionText {
    private CaptionText() {}

    public static List<String> words(String sentence) {
        String cleaned = sentence.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'\\s]", " ").strip();
        return cleaned.isEmpty() ? List.of() : Arrays.asList(cleaned.split("\\s+"));
    }

    /** The words joined by one space: the form in which two answers are compared. */
    public static String normalise(String sentence) {
        return String.join(" ", words(sentence));
    }
}
