package dev.kinema.synth;

import java.awt.geom.Rectangle2D;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Where a performer may act: the world's width ({@code aspect}, height is 1), the region it should
 * stay in (the whole frame for trimmed clips; a sub-region when several actors share a scene) and
 * the scene's palette.
 */
public record Stage(double aspect, Rectangle2D region, Palette palette) {
    public Stage {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(palette, "palette");
    }

    /** The whole frame as the region. */
    public static Stage fullFrame(double aspect, Palette palette) {
        return new Stage(aspect, new Rectangle2D.Double(0, 0, aspect, 1), palette);
    }

    /** A uniform x in the region, keeping {@code margin} from its sides (the centre if it does not fit). */
    double x(SplittableRandom rng, double margin) {
        return uniformIn(rng, region.getMinX() + margin, region.getMaxX() - margin);
    }

    /** A uniform y in the region, keeping {@code margin} from its top and bottom. */
    double y(SplittableRandom rng, double margin) {
        return uniformIn(rng, region.getMinY() + margin, region.getMaxY() - margin);
    }

    private static double uniformIn(SplittableRandom rng, double lo, double hi) {
        return hi > lo ? rng.nextDouble(lo, hi) : (lo + hi) / 2;
    }
}
