package dev.kinema.viz;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of clips frame by frame, top to bottom in the order given: masked-video pretraining's picture
 * of what the model sees and predicts (original, masked input, reconstruction). The labels are for
 * the page that shows the sheet (Kinema's pixel font has digits only). Each clip is 3×T×H×W floats in
 * [0, 1] (values outside are clipped), channel-major as a model's input.
 */
public final class ReconstructionSheet {
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x202020;

    private ReconstructionSheet() {}

    /** One row, named for the page that shows it: a clip of {@code frames}×{@code height}×{@code width}, 3 channels. */
    public record Row(String label, float[] clip) {}

    /** The sheet of {@code rows}, all of clips T×H×W, as an image. */
    public static BufferedImage render(List<Row> rows, int frames, int height, int width) {
        int w = frames * (width + GAP) + GAP;
        int h = rows.size() * (height + GAP) + GAP;
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] line = new int[w];
        Arrays.fill(line, BACKGROUND);
        for (int y = 0; y < h; y++) {
            sheet.setRGB(0, y, w, 1, line, 0, w);
        }
        long plane = (long) frames * height * width;
        for (int r = 0; r < rows.size(); r++) {
            float[] clip = rows.get(r).clip();
            if (clip.length != 3 * plane) {
                throw new IllegalArgumentException("row '" + rows.get(r).label() + "' has " + clip.length
                        + " values, not 3x" + frames + "x" + height + "x" + width);
            }
            int y0 = GAP + r * (height + GAP);
            for (int t = 0; t < frames; t++) {
                int[] argb = new int[height * width];
                for (int i = 0; i < argb.length; i++) {
                    long at = (long) t * height * width + i;
                    argb[i] = byteOf(clip[(int) at]) << 16 | byteOf(clip[(int) (plane + at)]) << 8
                            | byteOf(clip[(int) (2 * plane + at)]);
                }
                sheet.setRGB(GAP + t * (width + GAP), y0, width, height, argb, 0, width);
            }
        }
        return sheet;
    }

    /** Writes the sheet as PNG (atomically) and returns its path. */
    public static Path write(List<Row> rows, int frames, int height, int width, Path png) {
        return Images.writePng(render(rows, frames, height, width), png);
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
