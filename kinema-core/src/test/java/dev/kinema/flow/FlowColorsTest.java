package dev.kinema.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.awt.Color;
import org.junit.jupiter.api.Test;

/** The colour wheel's directions and the side-by-side panels. */
class FlowColorsTest {
    static float hueDegrees(int rgb) {
        float[] hsb = Color.RGBtoHSB(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff, null);
        return hsb[0] * 360;
    }

    static float saturation(int rgb) {
        return Color.RGBtoHSB(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff, null)[1];
    }

    @Test
    void hueIsDirectionAndSaturationIsMagnitude() {
        assertEquals(0xffffff, FlowColors.color(0, 0, 5));
        assertEquals(0xff0000, FlowColors.color(5, 0, 5), "right: red");
        assertEquals(90, hueDegrees(FlowColors.color(0, 5, 5)), 1.5, "down (+y): yellow-green");
        assertEquals(180, hueDegrees(FlowColors.color(-5, 0, 5)), 1.5, "left: cyan");
        assertEquals(270, hueDegrees(FlowColors.color(0, -5, 5)), 1.5, "up: violet");
        assertEquals(0.5, saturation(FlowColors.color(2.5f, 0, 5)), 0.01);
        assertEquals(1.0, saturation(FlowColors.color(50, 0, 5)), 1e-6, "beyond the maximum: saturated");
    }

    @Test
    void panelsPutEachFrameBesideItsFlow() {
        int h = 4;
        int w = 3;
        byte[] rgb = new byte[3 * h * w * 3];
        java.util.Arrays.fill(rgb, (byte) 7);
        VideoFrames frames = new VideoFrames(rgb, 3, h, w);
        float[] data = new float[2 * 2 * h * w];
        java.util.Arrays.fill(data, 0, h * w, 1f); // field 0: dx = 1 everywhere
        FlowFields flow = new FlowFields(data, 2, 1, h, w);
        assertEquals(1f, FlowColors.robustMax(flow), 1e-6);
        VideoFrames panels = FlowColors.sideBySide(frames, flow, 1f);
        assertEquals(2, panels.frames(), "one panel per field");
        int gap = panels.width() - 2 * w;
        assertTrue(gap >= 2);
        assertEquals(7, panels.get(0, 1, 1, 0), "the frame on the left");
        assertEquals(255, panels.get(0, 1, w + gap + 1, 0), "red flow on the right");
        assertEquals(0, panels.get(0, 1, w + gap + 1, 1));
        assertEquals(255, panels.get(1, 1, w + gap + 1, 1), "field 1 is still: white");
    }
}
