package dev.kinema.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Draws a {@link Scene} into RGB frames with Java2D (antialiased). One renderer owns one canvas and
 * is not thread-safe: use one per thread (it holds no native resources, so nothing needs closing).
 * The background is painted once, with a margin wide enough for the camera jitter, and then only
 * shifted.
 */
public final class SceneRenderer {
    private final Scene scene;
    private final int width;
    private final int height;
    private final int margin;
    private final BufferedImage canvas;
    private final byte[] bgr;
    private final Graphics2D g;
    private final BufferedImage backdrop;

    public SceneRenderer(Scene scene, int width, int height) {
        this.scene = scene;
        this.width = width;
        this.height = height;
        this.margin = (int) Math.ceil(CameraShake.MAX_AMPLITUDE * height) + 2;
        this.canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        this.bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        this.g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        this.backdrop = paintBackdrop();
    }

    private BufferedImage paintBackdrop() {
        BufferedImage img = new BufferedImage(width + 2 * margin, height + 2 * margin, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D bg = img.createGraphics();
        try {
            bg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            bg.translate(margin, margin);
            bg.scale(height, height);
            double m = margin / (double) height;
            scene.background().paint(bg, new Rectangle2D.Double(-m, -m, scene.aspect() + 2 * m, 1 + 2 * m));
        } finally {
            bg.dispose();
        }
        return img;
    }

    /**
     * Renders scene time {@code t} into {@code rgb} (H×W×3, row-major RGB). {@code noiseKey} picks
     * the pixel-noise pattern (the frame index for clips), so equal keys give equal frames.
     */
    public void render(double t, long noiseKey, byte[] rgb) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("buffer has " + rgb.length + " bytes, frame needs " + width * height * 3);
        }
        Point2D.Double shift = scene.camera().offset(t);
        g.setTransform(new AffineTransform());
        g.drawImage(backdrop, AffineTransform.getTranslateInstance(shift.x * height - margin, shift.y * height - margin), null);
        g.scale(height, height);
        g.translate(shift.x, shift.y);
        for (Actor actor : scene.layers()) {
            actor.draw(g, t);
        }
        copyWithNoise(rgb, noiseKey);
    }

    /** Renders into a new array. */
    public byte[] render(double t, long noiseKey) {
        byte[] rgb = new byte[width * height * 3];
        render(t, noiseKey, rgb);
        return rgb;
    }

    private void copyWithNoise(byte[] rgb, long noiseKey) {
        double sigma = scene.noiseSigma();
        if (sigma <= 0) {
            for (int o = 0; o < rgb.length; o += 3) {
                rgb[o] = bgr[o + 2];
                rgb[o + 1] = bgr[o + 1];
                rgb[o + 2] = bgr[o];
            }
            return;
        }
        long state = Seeds.mix(scene.noiseSeed(), noiseKey) | 1L;
        // Sum of two uniforms in [-1, 1): triangular noise with standard deviation 1/sqrt(6)·range.
        float scale = (float) (sigma * Math.sqrt(6) / 2 / (1 << 15));
        for (int o = 0; o < rgb.length; o += 3) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            rgb[o] = noisy(bgr[o + 2], (short) state, (short) (state >>> 16), scale);
            rgb[o + 1] = noisy(bgr[o + 1], (short) (state >>> 32), (short) (state >>> 48), scale);
            rgb[o + 2] = noisy(bgr[o], (short) (state >>> 8), (short) (state >>> 40), scale);
        }
    }

    private static byte noisy(byte value, short u1, short u2, float scale) {
        int v = (value & 0xff) + Math.round((u1 + u2) * scale);
        return (byte) (v < 0 ? 0 : Math.min(255, v));
    }
}
