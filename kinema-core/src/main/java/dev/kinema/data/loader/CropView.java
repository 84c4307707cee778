package dev.kinema.data.loader;

import dev.kinema.data.transforms.ThreeCrop;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One fixed square view of a clip for multi-view testing, cut alike from its frames, flow and
 * boxes: view 0, 1 or 2 of {@link ThreeCrop} (left/top, centre, right/bottom, PyTorchVideo's
 * {@code uniform_crop} positions). {@link #views} gives the views of 1-crop and 3-crop testing, for
 * {@link ClipLoader.Builder#optViews}.
 *
 * @param size the view's side in pixels
 * @param view which view: 0, 1 or 2
 */
public record CropView(int size, int view) implements FieldTransform {
    public CropView {
        if (size < 1 || view < 0 || view >= ThreeCrop.VIEWS) {
            throw new IllegalArgumentException("need size >= 1 and view 0, 1 or 2, got size " + size + ", view " + view);
        }
    }

    /**
     * The views of {@code crops}-crop testing: the centre crop for 1 ({@link SpatialAugment#center}),
     * the three {@link ThreeCrop} views for 3.
     */
    public static List<FieldTransform> views(int crops, int size) {
        return switch (crops) {
            case 1 -> List.of(SpatialAugment.center(size));
            case ThreeCrop.VIEWS -> List.of(new CropView(size, 0), new CropView(size, 1), new CropView(size, 2));
            default -> throw new IllegalArgumentException("crops must be 1 or 3, got " + crops);
        };
    }

    @Override
    public Set<Clip.Field> fields() {
        return EnumSet.of(Clip.Field.FRAMES, Clip.Field.FLOW, Clip.Field.BOXES);
    }

    @Override
    public Clip apply(Clip clip, Random rng) {
        int[] yx = ThreeCrop.offset(clip.height(), clip.width(), size, view);
        return clip.cut(yx[0], yx[1], size, size, false);
    }
}
