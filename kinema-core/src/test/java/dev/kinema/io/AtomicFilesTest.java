package dev.kinema.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private long leftovers() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void aWriteThatFailsLikeAFullDiskNamesTheFileAndKeepsThePreviousOne() throws IOException {
        Path target = tmp.resolve("checkpoint.ckpt");
        AtomicFiles.write(target, out -> out.write(new byte[] {1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(target + ": could not be written: No space left on device; the previous checkpoint.ckpt is intact",
                e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(0, leftovers(), "the temporary file is removed");
    }

    @Test
    void aFirstWriteThatFailsLeavesNothingAndAMessageThatAlreadyNamesTheFileIsKept() throws IOException {
        Path target = tmp.resolve("config.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw new IOException("Disk quota exceeded");
        }));
        assertEquals(target + ": could not be written: Disk quota exceeded", e.getMessage());
        assertFalse(Files.exists(target));
        IOException own = new IOException("config.json: bad field");
        assertEquals(own, assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw own;
        })));
        assertEquals(0, leftovers());
    }

    @Test
    void aBodyMayCloseItsStream() throws IOException {
        Path target = tmp.resolve("config.json");
        AtomicFiles.write(target, out -> {
            out.write('{');
            out.close(); // as Jackson's writeValue does
        });
        assertEquals("{", Files.readString(target));
    }

    @Test
    void aFolderThatIsAFileIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("runs"), "not a folder");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file.resolve("a.bin"), out -> out.write(1)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
