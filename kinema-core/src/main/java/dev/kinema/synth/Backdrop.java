package dev.kinema.synth;

import java.util.SplittableRandom;

/**
 * What every Kinema-Motion scene starts from: a palette, a background in it and a camera shake,
 * drawn in that order from the scene's generator (so every kind of scene draws them alike).
 */
record Backdrop(Palette palette, Background background, CameraShake camera) {
    static Backdrop draw(SplittableRandom rng) {
        Palette palette = Palette.random(rng);
        return new Backdrop(palette, Background.random(rng.split(), palette), CameraShake.random(rng.split()));
    }
}
