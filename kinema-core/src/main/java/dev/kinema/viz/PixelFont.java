package dev.kinema.viz;

import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * A tiny built-in 5×7 bitmap font for frame captions ("#12 t=1.20s"). It needs no system fonts,
 * so captions render the same on every machine, headless or not. It has digits and the few
 * symbols captions use ({@code # t = . s - : x ?} and space); any other character is drawn as
 * {@code ?}.
 */
final class PixelFont {
    static final int GLYPH_W = 5;
    static final int GLYPH_H = 7;
    static final int ADVANCE = GLYPH_W + 1;

    private static final Map<Character, String[]> GLYPHS = Map.ofEntries(
            Map.entry('0', new String[] {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."}),
            Map.entry('1', new String[] {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."}),
            Map.entry('2', new String[] {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"}),
            Map.entry('3', new String[] {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."}),
            Map.entry('4', new String[] {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."}),
            Map.entry('5', new String[] {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."}),
            Map.entry('6', new String[] {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."}),
            Map.entry('7', new String[] {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."}),
            Map.entry('8', new String[] {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."}),
            Map.entry('9', new String[] {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."}),
            Map.entry('#', new String[] {".#.#.", ".#.#.", "#####", ".#.#.", "#####", ".#.#.", ".#.#."}),
            Map.entry('t', new String[] {".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##."}),
            Map.entry('=', new String[] {".....", ".....", "#####", ".....", "#####", ".....", "....."}),
            Map.entry('.', new String[] {".....", ".....", ".....", ".....", ".....", ".##..", ".##.."}),
            Map.entry('s', new String[] {".....", ".....", ".####", "#....", ".###.", "....#", "####."}),
            Map.entry('-', new String[] {".....", ".....", ".....", "#####", ".....", ".....", "....."}),
            Map.entry(':', new String[] {".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."}),
            Map.entry('x', new String[] {".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"}),
            Map.entry('?', new String[] {".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."}),
            Map.entry(' ', new String[] {".....", ".....", ".....", ".....", ".....", ".....", "....."}));

    private PixelFont() {}

    /** Width in pixels of {@code text} at {@code scale}. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /**
     * Draws {@code text} with its top-left corner at (x, y) in colour {@code rgb}; pixels at or past
     * {@code maxX} are left alone, so a caption never spills into the next cell.
     */
    static void draw(BufferedImage img, String text, int x, int y, int scale, int rgb, int maxX) {
        int limitX = Math.min(maxX, img.getWidth());
        for (int i = 0; i < text.length(); i++) {
            String[] g = GLYPHS.getOrDefault(text.charAt(i), GLYPHS.get('?'));
            int gx = x + i * ADVANCE * scale;
            for (int row = 0; row < GLYPH_H; row++) {
                for (int col = 0; col < GLYPH_W; col++) {
                    if (g[row].charAt(col) != '#') {
                        continue;
                    }
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            int px = gx + col * scale + dx;
                            int py = y + row * scale + dy;
                            if (px >= 0 && px < limitX && py >= 0 && py < img.getHeight()) {
                                img.setRGB(px, py, rgb);
                            }
                        }
                    }
                }
            }
        }
    }
}
