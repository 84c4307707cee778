package dev.kinema.video;

/** Rotates packed RGB pictures by right angles, to honour a video's rotation metadata. */
final class PixelRotation {
    private PixelRotation() {}

    /**
     * Rotates a {@code width}×{@code height} RGB picture clockwise by {@code degrees} (0, 90, 180, 270).
     * For 90 and 270 the result is {@code height} wide and {@code width} high.
     */
    static byte[] rotate(byte[] rgb, int width, int height, int degrees) {
        if (degrees == 0) {
            return rgb;
        }
        byte[] out = new byte[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int src = (y * width + x) * 3;
                int dst = switch (degrees) {
                    // Clockwise 90: source row y becomes output column (height-1-y).
                    case 90 -> (x * height + (height - 1 - y)) * 3;
                    case 180 -> ((height - 1 - y) * width + (width - 1 - x)) * 3;
                    case 270 -> ((width - 1 - x) * height + y) * 3;
                    default -> throw new IllegalArgumentException("rotation must be a right angle: " + degrees);
                };
                out[dst] = rgb[src];
                out[dst + 1] = rgb[src + 1];
                out[dst + 2] = rgb[src + 2];
            }
        }
        return out;
    }
}
