package dev.kinema.data.transforms;

import ai.djl.ndarray.types.Shape;

/** Axis order of a clip tensor. */
public enum Layout {
    /** Channels, time, height, width: what 3D CNNs (C3D, I3D, R(2+1)D, SlowFast) take. */
    CTHW,
    /** Time, channels, height, width: a stack of images, for 2D CNNs per frame, TSM and transformers. */
    TCHW;

    public Shape shape(int channels, int frames, int height, int width) {
        return this == CTHW
                ? new Shape(channels, frames, height, width)
                : new Shape(frames, channels, height, width);
    }

    /** Flat row-major index of element (c, t, y, x) in a tensor of this layout. */
    public int index(int c, int t, int y, int x, int channels, int frames, int height, int width) {
        int plane = this == CTHW ? c * frames + t : t * channels + c;
        return (plane * height + y) * width + x;
    }
}
