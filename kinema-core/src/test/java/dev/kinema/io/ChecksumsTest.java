package dev.kinema.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    @TempDir
    Path tmp;

    @Test
    void theContentIsKeptAndEverySingleBitFlipIsCaught() throws IOException {
        byte[] content = new byte[200_000];
        new Random(5).nextBytes(content);
        Path file = Checksums.write(tmp.resolve("a.bin"), out -> {
            out.write(content, 0, 1000);
            out.write(content[1000]);
            out.write(content, 1001, content.length - 1001);
            out.close(); // a body may close its stream; the trailer still follows
        });
        byte[] written = Files.readAllBytes(file);
        assertEquals(content.length + Checksums.TRAILER_BYTES, written.length);
        assertArrayEquals(content, Arrays.copyOf(written, content.length));
        assertDoesNotThrow(() -> Checksums.verify(file));

        for (int at : new int[] {0, 77_777, content.length - 1, content.length + 3}) {
            byte[] damaged = written.clone();
            damaged[at] ^= 0x10;
            Files.write(file, damaged);
            IOException e = assertThrows(IOException.class, () -> Checksums.verify(file), "flip at " + at);
            assertTrue(e.getMessage().startsWith(file + ": damaged"), e.getMessage());
        }
    }

    @Test
    void aFileWithoutTrailerIsNamed() throws IOException {
        Path plain = Files.write(tmp.resolve("plain.bin"), new byte[] {1, 2, 3});
        assertFalse(Checksums.hasTrailer(plain));
        IOException e = assertThrows(IOException.class, () -> Checksums.verify(plain));
        assertEquals(plain + ": damaged: it has no checksum (cut short, or not written by Kinema)", e.getMessage());
    }
}
