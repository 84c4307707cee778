package dev.kinema.synth;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.MultipleGradientPaint.CycleMethod;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A static procedural backdrop: a base layer (linear gradient, radial gradient or multi-octave
 * value noise) under an optional translucent texture (stripes, checks or soft blobs).
 *
 * <p>Backgrounds are drawn independently of the class, from the scene's own random stream, so they
 * carry no label information and a model has to learn to look past them.
 */
final class Background {
    private enum Base { LINEAR, RADIAL, NOISE }

    private enum Texture { NONE, STRIPES, CHECKS, BLOBS }

    private final Base base;
    private final Texture texture;
    private final Color c1;
    private final Color c2;
    private final Color textureColor;
    private final double angle;
    private final double period;
    private final double textureAlpha;
    private final Point2D.Double centre;
    private final BufferedImage[] octaves;
    private final double[][] blobs;

    private Background(SplittableRandom rng, Palette palette) {
        base = Base.values()[rng.nextInt(Base.values().length)];
        texture = Texture.values()[rng.nextInt(Texture.values().length)];
        c1 = palette.background(rng);
        c2 = palette.background(rng);
        textureColor = palette.background(rng);
        angle = rng.nextDouble(Math.PI);
        period = rng.nextDouble(0.05, 0.25);
        textureAlpha = rng.nextDouble(0.15, 0.5);
        centre = new Point2D.Double(rng.nextDouble(0, 1.4), rng.nextDouble(-0.2, 1.2));
        octaves = base == Base.NOISE ? noiseOctaves(rng, c1, c2) : null;
        blobs = new double[texture == Texture.BLOBS ? rng.nextInt(3, 9) : 0][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {rng.nextDouble(-0.1, 1.5), rng.nextDouble(-0.1, 1.1),
                    rng.nextDouble(0.08, 0.4), rng.nextDouble(0.08, 0.4), rng.nextDouble(0.15, 0.45)};
        }
    }

    static Background random(SplittableRandom rng, Palette palette) {
        return new Background(rng, palette);
    }

    /** Paints the backdrop over {@code world} (world units; the graphics transform maps them to pixels). */
    void paint(Graphics2D g, Rectangle2D world) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        switch (base) {
            case LINEAR -> {
                double cx = world.getCenterX();
                double cy = world.getCenterY();
                double r = Math.max(world.getWidth(), world.getHeight()) / 2;
                double dx = Math.cos(angle) * r;
                double dy = Math.sin(angle) * r;
                g.setPaint(new java.awt.GradientPaint((float) (cx - dx), (float) (cy - dy), c1,
                        (float) (cx + dx), (float) (cy + dy), c2));
                g.fill(world);
            }
            case RADIAL -> {
                g.setPaint(new RadialGradientPaint(centre, (float) (0.5 + period * 4), new float[] {0f, 1f},
                        new Color[] {c1, c2}, CycleMethod.REFLECT));
                g.fill(world);
            }
            case NOISE -> {
                g.setColor(c1);
                g.fill(world);
                Composite old = g.getComposite();
                float alpha = 1f;
                for (BufferedImage octave : octaves) {
                    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
                    AffineTransform fit = new AffineTransform();
                    fit.translate(world.getMinX(), world.getMinY());
                    fit.scale(world.getWidth() / octave.getWidth(), world.getHeight() / octave.getHeight());
                    g.drawImage(octave, fit, null);
                    alpha *= 0.5f;
                }
                g.setComposite(old);
            }
        }
        paintTexture(g, world);
    }

    private void paintTexture(Graphics2D g, Rectangle2D world) {
        if (texture == Texture.NONE) {
            return;
        }
        Composite old = g.getComposite();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) textureAlpha));
        Color clear = new Color(textureColor.getRed(), textureColor.getGreen(), textureColor.getBlue(), 0);
        switch (texture) {
            case STRIPES -> {
                Point2D.Double from = new Point2D.Double(0, 0);
                Point2D.Double to = new Point2D.Double(Math.cos(angle) * period, Math.sin(angle) * period);
                g.setPaint(new LinearGradientPaint(from, to, new float[] {0f, 0.45f, 0.55f, 1f},
                        new Color[] {textureColor, textureColor, clear, clear}, CycleMethod.REFLECT));
                g.fill(world);
            }
            case CHECKS -> {
                AffineTransform saved = g.getTransform();
                g.rotate(angle, world.getCenterX(), world.getCenterY());
                g.setColor(textureColor);
                double reach = Math.hypot(world.getWidth(), world.getHeight());
                int n = (int) Math.ceil(reach / period) + 1;
                for (int i = -n; i <= n; i++) {
                    for (int j = -n; j <= n; j++) {
                        if (((i + j) & 1) == 0) {
                            g.fill(new Rectangle2D.Double(world.getCenterX() + i * period,
                                    world.getCenterY() + j * period, period, period));
                        }
                    }
                }
                g.setTransform(saved);
            }
            case BLOBS -> {
                g.setColor(textureColor);
                for (double[] b : blobs) {
                    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) b[4]));
                    g.fill(new Ellipse2D.Double(b[0] - b[2], b[1] - b[3], 2 * b[2], 2 * b[3]));
                }
            }
            default -> throw new IllegalStateException("texture " + texture);
        }
        g.setComposite(old);
    }

    /** Three octaves of value noise as tiny random images; bilinear upscaling smooths them. */
    private static BufferedImage[] noiseOctaves(SplittableRandom rng, Color a, Color b) {
        int[] sizes = {3 + rng.nextInt(3), 7 + rng.nextInt(4), 15 + rng.nextInt(8)};
        BufferedImage[] out = new BufferedImage[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            BufferedImage img = new BufferedImage(sizes[k], sizes[k], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < sizes[k]; y++) {
                for (int x = 0; x < sizes[k]; x++) {
                    double t = rng.nextDouble();
                    int r = (int) (a.getRed() + (b.getRed() - a.getRed()) * t);
                    int gr = (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t);
                    int bl = (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t);
                    img.setRGB(x, y, (r << 16) | (gr << 8) | bl);
                }
            }
            out[k] = img;
        }
        return out;
    }
}
