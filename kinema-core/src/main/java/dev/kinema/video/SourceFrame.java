package dev.kinema.video;

/**
 * One decoded frame from a {@link FrameSource}: RGB bytes, row-major H×W×3, owned by the frame (a
 * copy, never FFmpeg's buffer), with its position in the input: the index among the frames decoded
 * from the start, and its presentation time in seconds (NaN when the input carries none).
 */
public record SourceFrame(byte[] rgb, int height, int width, long index, double timestamp) {
    public SourceFrame {
        if (rgb.length != height * width * VideoFrames.CHANNELS) {
            throw new IllegalArgumentException("a " + height + "x" + width + " RGB frame needs "
                    + height * width * VideoFrames.CHANNELS + " bytes, got " + rgb.length);
        }
    }
}
