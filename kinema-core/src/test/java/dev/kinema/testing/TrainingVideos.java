package dev.kinema.testing;

import dev.kinema.video.VideoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Small generated datasets that a classifier can learn in seconds, for training tests: a square
 * sliding left or right (direction is the only cue: colours, sizes and positions are random), and
 * flat frames whose brightness follows a given curve.
 */
public final class TrainingVideos {
    public static final int SIZE = 40;
    public static final int FRAMES = 16;
    public static final double FPS = 8;

    private TrainingVideos() {}

    /**
     * {@code root/{train,val,test}/{left,right}/<split>_<nn>.mp4}: squares moving left or right,
     * {@code perClass[i]} videos per class in split i (train, val, test).
     */
    public static Path movingSquares(Path root, long seed, int... perClass) {
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < perClass.length; s++) {
            for (String direction : new String[] {"left", "right"}) {
                for (int i = 0; i < perClass[s]; i++) {
                    Path file = root.resolve(splits[s]).resolve(direction)
                            .resolve(String.format(Locale.ROOT, "%s_%02d.mp4", splits[s], i));
                    long videoSeed = seed * 1_000_003L + s * 10_007L + i * 2L + (direction.equals("right") ? 1 : 0);
                    movingSquare(file, direction.equals("right"), new SplittableRandom(videoSeed));
                }
            }
        }
        return root;
    }

    /** One video of a square of random colour and size crossing a dark background left or right. */
    public static void movingSquare(Path file, boolean right, SplittableRandom rng) {
        int side = 8 + rng.nextInt(5);
        double speed = 1.5;
        double travel = speed * (FRAMES - 1);
        double x0 = right ? rng.nextDouble(0, SIZE - side - travel) : rng.nextDouble(side + travel, SIZE) - side;
        int y = rng.nextInt(SIZE - side);
        int[] fg = {150 + rng.nextInt(100), 150 + rng.nextInt(100), 150 + rng.nextInt(100)};
        int[] bg = {rng.nextInt(60), rng.nextInt(60), rng.nextInt(60)};
        write(file, FRAMES, (t, rgb) -> {
            int x = (int) Math.round(x0 + (right ? 1 : -1) * speed * t);
            fill(rgb, 0, 0, SIZE, SIZE, bg);
            fill(rgb, x, y, side, side, fg);
        });
    }

    /** A video of {@code frames} flat grey frames, frame {@code t} having grey level {@code level.applyAsInt(t)}. */
    public static void brightness(Path file, int frames, IntUnaryOperator level) {
        write(file, frames, (t, rgb) -> {
            int v = level.applyAsInt(t);
            fill(rgb, 0, 0, SIZE, SIZE, new int[] {v, v, v});
        });
    }

    private interface Painter {
        void paint(int t, byte[] rgb);
    }

    private static void write(Path file, int frames, Painter painter) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (VideoWriter w = VideoWriter.builder(file).setSize(SIZE, SIZE).optFps(FPS).build()) {
            for (int t = 0; t < frames; t++) {
                byte[] rgb = new byte[SIZE * SIZE * 3];
                painter.paint(t, rgb);
                w.writeFrame(rgb);
            }
        }
    }

    private static void fill(byte[] rgb, int x, int y, int w, int h, int[] color) {
        for (int r = Math.max(0, y); r < Math.min(SIZE, y + h); r++) {
            for (int c = Math.max(0, x); c < Math.min(SIZE, x + w); c++) {
                int o = (r * SIZE + c) * 3;
                rgb[o] = (byte) color[0];
                rgb[o + 1] = (byte) color[1];
                rgb[o + 2] = (byte) color[2];
            }
        }
    }
}
