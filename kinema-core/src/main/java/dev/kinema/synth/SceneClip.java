package dev.kinema.synth;

import dev.kinema.video.VideoWriter;
import java.nio.file.Path;

/**
 * A stretch of a scene rendered as a video: frame {@code i} shows scene time
 * {@code offset + (i + 0.5) / fps}. An untrimmed video is its whole scene ({@code offset} 0); a
 * window cut from it for training a clip classifier is a shorter stretch of the same scene, so the
 * window shows exactly what the untrimmed video shows at those times (pixel noise aside).
 */
public record SceneClip(Scene scene, ClipSpec spec, double offset) {
    /** Frame {@code i} as H×W×3 RGB bytes, rendered by {@code renderer} (made for this scene and size). */
    void render(SceneRenderer renderer, int i, byte[] rgb) {
        renderer.render(offset + spec.time(i), Math.round((offset * spec.fps())) + i, rgb);
    }

    /** Encodes the clip to {@code file} (H.264, no audio); the file appears only once complete. */
    public void write(Path file) {
        SceneRenderer renderer = new SceneRenderer(scene, spec.width(), spec.height());
        byte[] rgb = new byte[spec.width() * spec.height() * 3];
        try (VideoWriter writer = VideoWriter.builder(file).setSize(spec.width(), spec.height()).optFps(spec.fps()).build()) {
            for (int i = 0; i < spec.frames(); i++) {
                render(renderer, i, rgb);
                writer.writeFrame(rgb);
            }
        }
    }
}
