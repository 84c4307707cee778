package dev.kinema.io;

import java.io.IOException;

/**
 * A file Kinema wrote whose content no longer matches its checksum ({@link Checksums}): damaged on
 * disk or in a copy. Callers that keep an older copy (the previous checkpoint) may fall back to it;
 * nothing was read from the damaged file.
 */
public final class DamagedFileException extends IOException {
    public DamagedFileException(String message) {
        super(message);
    }
}
