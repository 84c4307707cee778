package dev.kinema.synth;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * A scene's colour scheme: the background is either dark or light around one hue, and foreground
 * colours are drawn with the opposite lightness, so figures stay visible on every background while
 * their hue varies freely (colour is a nuisance, never a class cue).
 */
public record Palette(boolean darkBackground, float hue) {
    public static Palette random(SplittableRandom rng) {
        return new Palette(rng.nextBoolean(), (float) rng.nextDouble());
    }

    /** A background colour: near the scheme's hue, dark or light. */
    public Color background(SplittableRandom rng) {
        float h = hue + (float) rng.nextDouble(-0.08, 0.08);
        float s = (float) rng.nextDouble(0.15, 0.7);
        float b = darkBackground ? (float) rng.nextDouble(0.08, 0.38) : (float) rng.nextDouble(0.62, 0.95);
        return Color.getHSBColor(h, s, b);
    }

    /** A figure or object colour that contrasts with the background; any hue. */
    public Color foreground(SplittableRandom rng) {
        float h = (float) rng.nextDouble();
        float s = (float) rng.nextDouble(0.35, 1.0);
        float b = darkBackground ? (float) rng.nextDouble(0.78, 1.0) : (float) rng.nextDouble(0.05, 0.42);
        return Color.getHSBColor(h, s, b);
    }

    /** A low-contrast colour for distractors and props. */
    public Color midtone(SplittableRandom rng) {
        float h = (float) rng.nextDouble();
        float s = (float) rng.nextDouble(0.2, 0.8);
        float b = darkBackground ? (float) rng.nextDouble(0.4, 0.75) : (float) rng.nextDouble(0.3, 0.6);
        return Color.getHSBColor(h, s, b);
    }

    /** {@code c} moved {@code amount} (0..1) toward the background's lightness: for far-side limbs and shadows. */
    public Color recede(Color c, double amount) {
        int target = darkBackground ? 0 : 255;
        return new Color(mix(c.getRed(), target, amount), mix(c.getGreen(), target, amount), mix(c.getBlue(), target, amount));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }
}
