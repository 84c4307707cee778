package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;

/**
 * What a convolution must do, handed to a {@link LayerFactory.ConvFactory}: 2D or 3D, channels,
 * kernel, stride, padding and whether it has a bias (it does not when a normalisation follows).
 * DJL infers input channels when it initialises; they are here for factories that need them
 * (grouped or depthwise variants).
 */
public record ConvSpec(int dims, long inChannels, long outChannels, Shape kernel, Shape stride, Shape padding,
        boolean bias) {
    public ConvSpec {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("convolutions here are 2D or 3D, got " + dims + "D");
        }
        if (kernel.dimension() != dims || stride.dimension() != dims || padding.dimension() != dims) {
            throw new IllegalArgumentException(dims + "D convolution with kernel " + kernel + ", stride " + stride
                    + ", padding " + padding);
        }
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + inChannels + "->" + outChannels);
        }
    }

    /** A stride-1 2D convolution with a square kernel and "same" padding ({@code k / 2}). */
    public static ConvSpec conv2d(long in, long out, int kernel) {
        return new ConvSpec(2, in, out, new Shape(kernel, kernel), new Shape(1, 1), new Shape(kernel / 2, kernel / 2), false);
    }

    /** A stride-1 3D convolution with a kT×kH×kW kernel and "same" padding. */
    public static ConvSpec conv3d(long in, long out, int kt, int kh, int kw) {
        return new ConvSpec(3, in, out, new Shape(kt, kh, kw), new Shape(1, 1, 1), new Shape(kt / 2, kh / 2, kw / 2), false);
    }

    /** The same convolution with stride {@code s} along every axis. */
    public ConvSpec stride(int s) {
        long[] v = new long[dims];
        java.util.Arrays.fill(v, s);
        return new ConvSpec(dims, inChannels, outChannels, kernel, new Shape(v), padding, bias);
    }

    /** The same convolution with padding {@code p} along every axis. */
    public ConvSpec padding(int p) {
        long[] v = new long[dims];
        java.util.Arrays.fill(v, p);
        return new ConvSpec(dims, inChannels, outChannels, kernel, stride, new Shape(v), bias);
    }

    /** The same convolution with or without a bias. */
    public ConvSpec bias(boolean withBias) {
        return new ConvSpec(dims, inChannels, outChannels, kernel, stride, padding, withBias);
    }
}
