package dev.kinema.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a derived file was computed from: the source's length and a SHA-256 of its first and last
 * MiB. A cache entry records it, so that a source replaced under the same name (a dataset
 * re-rendered with another seed, a re-encoded video) is noticed instead of silently pairing new
 * videos with old flow or features.
 *
 * <p>Reading 2 MiB rather than the whole file keeps the check cheap on long videos; a change
 * confined to the middle of a file of the same length would go unnoticed, which for video
 * containers (whose index and header sit at the ends) does not happen in practice.
 *
 * @param bytes the source's length
 * @param sha256 hex SHA-256 of the length, the first MiB and the last MiB
 */
public record FileFingerprint(long bytes, String sha256) {
    /** How much of each end is hashed. */
    public static final int END_BYTES = 1 << 20;

    public FileFingerprint {
        if (bytes < 0 || sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("invalid fingerprint: " + bytes + " bytes, sha256 " + sha256);
        }
    }

    /**
     * The fingerprint of {@code file}.
     *
     * @throws IOException naming the file if it cannot be read
     */
    public static FileFingerprint of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MessageDigest sha = newSha256();
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(size).array());
            hashRange(ch, 0, Math.min(size, END_BYTES), sha);
            long tail = Math.max(END_BYTES, size - END_BYTES);
            hashRange(ch, tail, size - tail, sha);
            return new FileFingerprint(size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new IOException(file + ": cannot fingerprint (" + e.getMessage() + ")", e);
        }
    }

    /** For messages: the length and the first 12 hex digits. */
    public String describe() {
        return bytes + " bytes, sha256 " + sha256.substring(0, 12);
    }

    private static void hashRange(FileChannel ch, long from, long length, MessageDigest sha) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Math.max(length, 0), 64 * 1024));
        long pos = from;
        long end = from + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("file shrank while being read");
            }
            sha.update(buf.flip());
            pos += n;
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
