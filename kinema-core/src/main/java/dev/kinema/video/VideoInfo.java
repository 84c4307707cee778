package dev.kinema.video;

import java.nio.file.Path;

/**
 * What {@code kinema probe} reports about a file. Sizes are as displayed, after rotation.
 *
 * @param container FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
 * @param rotation clockwise rotation in degrees (0, 90, 180, 270) that turns the stored picture upright
 * @param fps average frame rate
 * @param frames number of video frames
 * @param framesExact true when the container had no frame count and Kinema counted the frames itself
 * @param audioCodec null when there is no audio
 */
public record VideoInfo(
        Path path,
        String container,
        String videoCodec,
        int width,
        int height,
        int rotation,
        double fps,
        long frames,
        boolean framesExact,
        double durationSeconds,
        boolean hasAudio,
        String audioCodec,
        int audioSampleRate,
        int audioChannels) {}
