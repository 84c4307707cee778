package dev.kinema.synth;

import dev.kinema.video.VideoFrames;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One Kinema-Motion clip, rendered on demand: frames, per-frame actor boxes, event times, the
 * optional soundtrack, or straight to an mp4 file.
 *
 * <p>Rendering reuses one canvas, so a sample must not be rendered from two threads at once;
 * separate samples are independent.
 */
public final class SynthSample {
    private final ActionClass actionClass;
    private final ClipSpec spec;
    private final long seed;
    private final Scene scene;
    private SceneRenderer renderer;

    SynthSample(ActionClass actionClass, ClipSpec spec, long seed, Scene scene) {
        this.actionClass = Objects.requireNonNull(actionClass, "actionClass");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.scene = Objects.requireNonNull(scene, "scene");
    }

    public ActionClass actionClass() {
        return actionClass;
    }

    public ClipSpec spec() {
        return spec;
    }

    /** The seed that fully determines this sample. */
    public long seed() {
        return seed;
    }

    public Scene scene() {
        return scene;
    }

    /** The same sample with the pixel noise turned off. */
    public SynthSample withoutNoise() {
        return new SynthSample(actionClass, spec, seed, scene.withoutNoise());
    }

    /** The same sample with its labelled actor removed (background, distractors, jitter and noise stay). */
    public SynthSample withoutActors() {
        return new SynthSample(actionClass, spec, seed, scene.withoutActors());
    }

    /** Frame {@code i} as H×W×3 RGB bytes. */
    public byte[] frame(int i) {
        byte[] rgb = new byte[spec.width() * spec.height() * 3];
        renderFrame(i, rgb);
        return rgb;
    }

    /** Renders frame {@code i} into {@code rgb}. */
    public void renderFrame(int i, byte[] rgb) {
        Objects.checkIndex(i, spec.frames());
        if (renderer == null) {
            renderer = new SceneRenderer(scene, spec.width(), spec.height());
        }
        renderer.render(spec.time(i), i, rgb);
    }

    /** Every frame, with presentation timestamps ({@code i / fps}). */
    public VideoFrames frames() {
        int bytes = spec.width() * spec.height() * 3;
        byte[] all = new byte[bytes * spec.frames()];
        byte[] one = new byte[bytes];
        double[] timestamps = new double[spec.frames()];
        for (int i = 0; i < spec.frames(); i++) {
            renderFrame(i, one);
            System.arraycopy(one, 0, all, i * bytes, bytes);
            timestamps[i] = i / spec.fps();
        }
        return new VideoFrames(all, spec.frames(), spec.height(), spec.width(), null, timestamps);
    }

    /** The labelled actors' boxes in frame {@code i}, in pixels. */
    public List<ActorBox> boxes(int i) {
        Objects.checkIndex(i, spec.frames());
        return scene.boxes(spec.time(i), spec.width(), spec.height());
    }

    /** Scene times (seconds) of audible contact events, ascending. */
    public double[] eventTimes() {
        return scene.eventTimes();
    }

    /** The soundtrack, mono float PCM at {@code sampleRate}, as long as the clip; its events sound as the class's {@link Timbre}. */
    public float[] audio(int sampleRate) {
        return EventAudio.render(eventTimes(), spec.duration(), sampleRate, Seeds.mix(seed, 0xA0D10L),
                KinemaMotion.timbre(actionClass));
    }

    /**
     * Encodes the clip to {@code file} (H.264; the container follows the extension), with a mono
     * 16 kHz AAC soundtrack when {@code withAudio}. The file appears only once complete.
     */
    public void write(Path file, boolean withAudio) {
        int rate = EventAudio.SAMPLE_RATE;
        VideoWithSound.write(file, spec, this::renderFrame, withAudio ? audio(rate) : null, rate);
    }
}
