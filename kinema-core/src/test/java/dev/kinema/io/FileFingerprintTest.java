package dev.kinema.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFingerprintTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void sameContentSameFingerprintAndAChangeAtEitherEndOrInLengthIsSeen() throws IOException {
        byte[] big = new byte[3 * FileFingerprint.END_BYTES + 17];
        new Random(3).nextBytes(big);
        FileFingerprint original = FileFingerprint.of(write("a.bin", big));
        assertEquals(original, FileFingerprint.of(write("copy.bin", big.clone())));
        assertEquals(big.length, original.bytes());

        byte[] head = big.clone();
        head[10] ^= 1;
        assertNotEquals(original, FileFingerprint.of(write("head.bin", head)));
        byte[] tail = big.clone();
        tail[big.length - 3] ^= 1;
        assertNotEquals(original, FileFingerprint.of(write("tail.bin", tail)));
        byte[] longer = java.util.Arrays.copyOf(big, big.length + 1);
        assertNotEquals(original, FileFingerprint.of(write("longer.bin", longer)));
    }

    @Test
    void smallAndEmptyFilesAreHashedWhole() throws IOException {
        FileFingerprint empty = FileFingerprint.of(write("empty.bin", new byte[0]));
        assertEquals(0, empty.bytes());
        assertNotEquals(empty, FileFingerprint.of(write("one.bin", new byte[1])));
        byte[] small = {1, 2, 3, 4, 5};
        byte[] changed = {1, 2, 9, 4, 5};
        assertNotEquals(FileFingerprint.of(write("s.bin", small)), FileFingerprint.of(write("c.bin", changed)));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nope.mp4");
        IOException e = assertThrows(IOException.class, () -> FileFingerprint.of(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }
}
