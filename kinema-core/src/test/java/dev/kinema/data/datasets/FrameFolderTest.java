package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFolderTest {
    @TempDir
    Path root;

    @Test
    void defaultTemplateIsMmaction2sOneBased() {
        FrameFolder f = FrameFolder.of(root, 3);
        assertEquals("img_{:05}.jpg", f.template());
        assertEquals(root.resolve("img_00001.jpg"), f.framePath(0));
        assertEquals(root.resolve("img_00003.jpg"), f.framePath(2));
        assertThrows(IndexOutOfBoundsException.class, () -> f.framePath(3));
        assertThrows(IndexOutOfBoundsException.class, () -> f.framePath(-1));
        assertEquals("img_123456.jpg", f.fileName(123456)); // wider than the padding
    }

    @Test
    void pythonAndPrintfTemplates() {
        assertEquals("x_00012.png", new FrameFolder(root, "x_{:05d}.png", 1, 20).fileName(12));
        assertEquals("12.jpg", new FrameFolder(root, "{}.jpg", 1, 20).fileName(12));
        assertEquals("f000012", new FrameFolder(root, "f%06d", 1, 20).fileName(12));
        assertEquals("f12.jpg", new FrameFolder(root, "f%d.jpg", 1, 20).fileName(12));
        assertEquals(root.resolve("img_00000.jpg"), new FrameFolder(root, FrameFolder.DEFAULT_TEMPLATE, 0, 5).framePath(0));
        for (String bad : new String[] {"img.jpg", "img_{:5}.jpg", "{}_{}.jpg", "img_%s.jpg", "{:x}", "%05d_{}"}) {
            assertThrows(IllegalArgumentException.class, () -> new FrameFolder(root, bad, 1, 1), bad);
        }
    }

    @Test
    void matchesOnlyExactNamesOfTheTemplate() {
        String t = FrameFolder.DEFAULT_TEMPLATE;
        assertTrue(FrameFolder.matches(t, "img_00001.jpg"));
        assertTrue(FrameFolder.matches(t, "img_100000.jpg"));
        assertFalse(FrameFolder.matches(t, "img_0001.jpg"));
        assertFalse(FrameFolder.matches(t, "img_000001.jpg"));
        assertFalse(FrameFolder.matches(t, "img_0000a.jpg"));
        assertFalse(FrameFolder.matches(t, "img_.jpg"));
        assertFalse(FrameFolder.matches(t, "x_00001.jpg"));
    }

    @Test
    void scanCountsTheRunOfFramesFromTheLowest() throws IOException {
        Fake.frames(root, "v", 4);
        Fake.touch(root, "v/img_00007.jpg", "v/flow_x_00001.jpg", "v/notes.txt");
        FrameFolder.Scan s = FrameFolder.scan(root.resolve("v"), FrameFolder.DEFAULT_TEMPLATE).orElseThrow();
        assertEquals(4, s.frames().frameCount());
        assertEquals(1, s.frames().firstNumber());
        assertEquals(5, s.filesMatched());
        assertEquals(7, s.highestNumber());
        assertFalse(s.contiguous());
        Fake.mkdirs(root, "empty");
        assertTrue(FrameFolder.scan(root.resolve("empty"), FrameFolder.DEFAULT_TEMPLATE).isEmpty());
    }
}
