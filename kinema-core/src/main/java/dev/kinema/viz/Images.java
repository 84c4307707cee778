package dev.kinema.viz;

import dev.kinema.io.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Conversions between {@link VideoFrames} and AWT images. */
public final class Images {
    private Images() {}

    /** Frame {@code t} of {@code clip} as a TYPE_INT_RGB image. */
    public static BufferedImage frame(VideoFrames clip, int t) {
        int w = clip.width();
        int h = clip.height();
        int[] argb = new int[w * h];
        byte[] rgb = clip.rgb();
        int s = clip.offset(t, 0, 0);
        for (int i = 0; i < argb.length; i++, s += 3) {
            argb[i] = (rgb[s] & 0xff) << 16 | (rgb[s + 1] & 0xff) << 8 | (rgb[s + 2] & 0xff);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, argb, 0, w);
        return img;
    }

    /** Encodes {@code img} in {@code format} ("png", ...) with an in-memory ImageIO stream (no cache files). */
    static void write(BufferedImage img, String format, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), null);
        } finally {
            writer.dispose();
        }
    }

    /** Writes {@code img} as a PNG atomically (see {@link AtomicFiles}); returns the absolute path. */
    public static Path writePng(BufferedImage img, Path png) {
        try {
            return AtomicFiles.write(png, out -> write(img, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    /** A chart's drawing surface: antialiased shapes and text on a white background; the caller disposes it. */
    static java.awt.Graphics2D whiteCanvas(BufferedImage img) {
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }
}
