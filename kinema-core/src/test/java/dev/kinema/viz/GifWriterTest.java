package dev.kinema.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class GifWriterTest {
    @TempDir
    Path dir;

    @Test
    void gifHasEveryFrameTheDelayAndALoop() throws IOException {
        VideoFrames clip = ContactSheetTest.clip(6, 12, 16);
        Path gif = new GifWriter(5).write(clip, dir.resolve("clip.gif"));
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(6, reader.getNumImages(true));
            BufferedImage f0 = reader.read(0);
            assertEquals(16, f0.getWidth());
            assertEquals(12, f0.getHeight());
            // Few colours per frame, so the palette holds them exactly.
            BufferedImage f5 = reader.read(5);
            assertEquals(ContactSheetTest.rgbOf(clip, 5, 3, 7), f5.getRGB(7, 3) & 0xffffff);

            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertEquals("20", gce.getAttribute("delayTime"));
            Node app = root.getElementsByTagName("ApplicationExtension").item(0);
            assertEquals("NETSCAPE", ((IIOMetadataNode) app).getAttribute("applicationID"));
            reader.dispose();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void delayIsWholeHundredthsAndAtLeastTwo() {
        assertEquals(20, new GifWriter(5).delayCentiseconds());
        assertEquals(4, new GifWriter(25).delayCentiseconds());
        assertEquals(3, new GifWriter(30).delayCentiseconds());
        assertEquals(2, new GifWriter(120).delayCentiseconds());
        assertTrue(new GifWriter(0.5).delayCentiseconds() == 200);
    }
}
