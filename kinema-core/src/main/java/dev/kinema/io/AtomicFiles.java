package dev.kinema.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that it appears whole or not at all: the bytes go to a hidden temporary file in
 * the same directory, which is then renamed over the target in one atomic step. A crash or an
 * exception mid-write leaves the old file (if any) untouched and no partial file behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically and returns its absolute path; parent directories are created.
     * The bytes reach the disk (fsync) before the rename, so a power cut cannot leave the new name
     * pointing at unwritten data.
     *
     * @throws IOException naming {@code target} when it cannot be written (a full disk, a read-only
     *     folder), and saying that the previous file, if there was one, is intact
     */
    public static Path write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            // CREATE_NEW (not createTempFile) so the file gets the usual umask permissions, not 0600.
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                // A body may close what it is given (Jackson does): the channel must stay open for the fsync.
                body.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            return abs;
        } catch (IOException e) {
            throw naming(abs, e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** {@code e}, or one naming {@code target} if its message does not (an OS error such as a full disk). */
    private static IOException naming(Path target, IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains(target.getFileName().toString())) {
            return e;
        }
        String previous = Files.exists(target) ? "; the previous " + target.getFileName() + " is intact" : "";
        return new IOException(target + ": could not be written: " + message + previous, e);
    }
}
