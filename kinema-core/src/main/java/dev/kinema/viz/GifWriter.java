package dev.kinema.viz;

import dev.kinema.io.AtomicFiles;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An animated GIF of a clip that plays (and by default loops) in any browser, written with the
 * JDK's own ImageIO GIF encoder: no extra dependency.
 *
 * <p>Every frame gets its own 256-colour palette (ImageIO builds it), which is plenty for looking at
 * clips. GIF delays are whole hundredths of a second and browsers slow down anything under 2, so
 * the delay is {@code max(2, round(100 / fps))}: 5 fps plays exactly, 30 fps plays at 33⅓.
 *
 * <pre>{@code
 * new GifWriter(5).write(clip, Path.of("clip.gif"));
 * }</pre>
 */
public final class GifWriter {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private final double fps;
    private final boolean loop;

    /** A looping GIF at {@code fps} frames per second. */
    public GifWriter(double fps) {
        this(fps, true);
    }

    /** @param loop play forever (NETSCAPE2.0 loop count 0) rather than once */
    public GifWriter(double fps, boolean loop) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        this.fps = fps;
        this.loop = loop;
    }

    /** The delay between frames in hundredths of a second. */
    public int delayCentiseconds() {
        return (int) Math.max(2, Math.min(65535, Math.round(100 / fps)));
    }

    /** Writes the GIF to {@code gif} (atomically) and returns its absolute path. */
    public Path write(VideoFrames clip, Path gif) {
        if (clip.frames() == 0) {
            throw new IllegalArgumentException("a GIF needs at least one frame");
        }
        try {
            return AtomicFiles.write(gif, out -> write(clip, out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + gif + ": " + e.getMessage(), e);
        }
    }

    /** Writes the GIF to {@code out}, which is left open. */
    public void write(VideoFrames clip, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JVM has no ImageIO GIF writer");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            writer.prepareWriteSequence(null);
            for (int t = 0; t < clip.frames(); t++) {
                BufferedImage frame = Images.frame(clip, t);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                configure(meta, t == 0);
                writer.writeToSequence(new IIOImage(frame, null, meta), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private void configure(IIOMetadata meta, boolean first) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCentiseconds()));
        gce.setAttribute("transparentColorIndex", "0");
        if (first && loop) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
            apps.appendChild(app);
        }
        meta.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
