package dev.kinema.synth;

import dev.kinema.viz.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG overview of Kinema-Motion: one row per class showing frames evenly spread over one sample,
 * labelled with the class name, its kind and its pair partner.
 */
public final class ClassPreview {
    private static final int LABEL_WIDTH = 240;
    private static final int GAP = 4;

    private ClassPreview() {}

    /**
     * Renders one sample of every class (seed {@code seed}) as {@code columns} frames of
     * {@code frameSize}×{@code frameSize} over {@code seconds} at 25 fps.
     */
    public static BufferedImage render(List<ActionClass> classes, long seed, int frameSize, int columns, double seconds) {
        if (columns < 1) {
            throw new IllegalArgumentException("need at least one column, got " + columns);
        }
        ClipSpec spec = ClipSpec.ofSeconds(frameSize, frameSize, 25, seconds);
        int width = LABEL_WIDTH + columns * (frameSize + GAP);
        int height = classes.size() * (frameSize + GAP) + GAP;
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            BufferedImage tile = new BufferedImage(frameSize, frameSize, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) tile.getRaster().getDataBuffer()).getData();
            for (int row = 0; row < classes.size(); row++) {
                ActionClass c = classes.get(row);
                int y = GAP + row * (frameSize + GAP);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
                g.drawString(c.name(), 8, y + frameSize / 2 - 4);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.setColor(c.isMotion() ? new Color(150, 40, 40) : new Color(30, 90, 150));
                g.drawString(c.partner().map(p -> c.kind().jsonName() + ", pair: " + p).orElse("appearance"), 8, y + frameSize / 2 + 14);
                // Without pixel noise: it is invisible at this size and would triple the PNG.
                SynthSample sample = KinemaMotion.sample(c, spec, KinemaMotion.sampleSeed(seed, c.name(), 0)).withoutNoise();
                for (int col = 0; col < columns; col++) {
                    int index = (int) Math.round((col + 0.5) * spec.frames() / columns - 0.5);
                    byte[] rgb = sample.frame(Math.max(0, Math.min(spec.frames() - 1, index)));
                    for (int o = 0; o < rgb.length; o += 3) {
                        bgr[o] = rgb[o + 2];
                        bgr[o + 1] = rgb[o + 1];
                        bgr[o + 2] = rgb[o];
                    }
                    g.drawImage(tile, LABEL_WIDTH + col * (frameSize + GAP), y, null);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** Renders every class (see {@link #render}) and writes the sheet to {@code png}. */
    public static Path write(Path png, long seed, int frameSize, int columns, double seconds) {
        return Images.writePng(render(KinemaMotion.classes(), seed, frameSize, columns, seconds), png);
    }
}
