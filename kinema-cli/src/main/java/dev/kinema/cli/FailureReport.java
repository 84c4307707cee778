package dev.kinema.cli;

import dev.kinema.io.AtomicFiles;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the {@code kinema} command reports a failure: always one line starting {@code kinema: }.
 *
 * <ul>
 *   <li>A failure the user can fix (a bad or missing file, a bad option value, an undecodable video,
 *       a full disk) is its message: exit code {@value #USER_ERROR}.
 *   <li>Anything else is Kinema's own fault: one line saying so, with the exception's message and
 *       where its full trace was written, exit code {@value #INTERNAL_ERROR}.
 *   <li>With {@code --debug} or {@code KINEMA_LOG=debug}, the full trace follows either line.
 * </ul>
 */
final class FailureReport {
    static final int USER_ERROR = 2;
    static final int INTERNAL_ERROR = 1;

    private FailureReport() {}

    /** Reports {@code failure} on {@code err} and returns the exit code. */
    static int report(Throwable failure, PrintWriter err, boolean debug) {
        Throwable cause = unwrap(failure);
        String userMessage = userMessage(cause);
        if (userMessage != null) {
            err.println("kinema: " + userMessage);
        } else {
            err.println("kinema: internal error: " + describe(cause) + traceNote(failure));
        }
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return userMessage != null ? USER_ERROR : INTERNAL_ERROR;
    }

    /** True when {@code --debug} was given or {@code KINEMA_LOG=debug} is set. */
    static boolean debugRequested(boolean option) {
        return option || "debug".equalsIgnoreCase(System.getenv("KINEMA_LOG"));
    }

    /** The one-line message of a failure the user caused, or null if it is Kinema's own. */
    static String userMessage(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "); use fewer or smaller clips, a smaller batch, or give the JVM"
                    + " more with JAVA_OPTS=-Xmx...";
        }
        if (t instanceof FileSystemException fs) {
            return fileSystemMessage(fs);
        }
        if (t instanceof IOException || t instanceof VideoDecodeException || t instanceof IllegalArgumentException) {
            return String.valueOf(t.getMessage());
        }
        return null;
    }

    /** java.nio's file errors carry the path and the reason separately; its message is often just the path. */
    private static String fileSystemMessage(FileSystemException e) {
        String file = e.getFile();
        String other = e.getOtherFile() == null ? "" : " -> " + e.getOtherFile();
        String reason = e.getReason();
        if (reason == null) {
            if (e instanceof NoSuchFileException) {
                reason = "no such file or folder";
            } else if (e instanceof AccessDeniedException) {
                reason = "permission denied";
            } else if (e instanceof FileAlreadyExistsException) {
                reason = "already exists";
            } else if (e instanceof NotDirectoryException) {
                reason = "not a folder";
            } else {
                reason = e.getClass().getSimpleName();
            }
        }
        return file == null ? reason : file + other + ": " + reason;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof UncheckedIOException || c instanceof java.util.concurrent.ExecutionException
                || c instanceof java.util.concurrent.CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        String where = frames.length == 0 ? "" : " at " + frames[0].getClassName() + "." + frames[0].getMethodName();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + where;
    }

    /** Writes the trace to a file under the temporary folder and says where, or says why it could not. */
    private static String traceNote(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "kinema-errors",
                "kinema-" + stamp + "-" + ProcessHandle.current().pid() + ".txt");
        try {
            AtomicFiles.write(file, out -> out.write(trace.toString().getBytes(StandardCharsets.UTF_8)));
            return "; the full trace is in " + file + " (please report it)";
        } catch (IOException e) {
            return "; rerun with --debug for the full trace";
        }
    }
}
