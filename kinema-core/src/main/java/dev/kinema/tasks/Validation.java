package dev.kinema.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** What a task's validation pass found: its metrics by name, and what it adds to the training report. */
public interface Validation {

    /** The metrics by name, in a stable order: the names of the task's {@link TaskDefinition#validationMetrics()}. */
    Map<String, Double> metrics();

    /**
     * The validation's section of {@code report.html}: writes any pictures it shows into
     * {@code dir} and returns the HTML (headings, paragraphs, {@code <img>} of those files, tables).
     */
    default String report(Path dir) throws IOException {
        return "";
    }
}
