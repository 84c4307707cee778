package dev.kinema.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.Clip;
import dev.kinema.models.avsync.CorrespondenceMaps;
import dev.kinema.synth.SoundingObjects;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoInfo;
import dev.kinema.video.VideoProbe;
import dev.kinema.viz.GifWriter;
import dev.kinema.viz.Heatmaps;
import dev.kinema.viz.MapResize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a video's sound comes from, with a trained correspondence run ({@code av-correspondence}):
 * for uniformly spaced clips of the video with their own sound, the cosine between the sound's
 * embedding and each position of the visual map ({@link CorrespondenceMaps#similarity}) is the heat
 * map, and its peak on each frame the estimated sound source. Optionally an overlay GIF (the clip's
 * frames with the map, scaled to [0, 1] per clip, in jet colours, enlarged) and, given the boxes of a
 * {@link SoundingObjects} video, the hit rate: the share of frames whose peak lies in the sounding
 * disc's box, against its chance (the box's mean share of the frame).
 *
 * <pre>{@code
 * AvLocalize.Result r = AvLocalize.builder().setRun(Path.of("runs/corr")).setVideo(Path.of("v.mp4"))
 *         .optGif(Path.of("heat.gif")).build().run();
 * }</pre>
 */
public final class AvLocalize {
    /**
     * One frame's peak.
     *
     * @param clip which clip
     * @param frameIndex the frame's index in the video
     * @param seconds its time
     * @param x the peak's centre, pixels of the video
     * @param y the same, down
     * @param similarity the cosine at the peak
     */
    public record Peak(int clip, int frameIndex, double seconds, double x, double y, float similarity) {}

    /**
     * What was found.
     *
     * @param peaks every frame's peak, clip by clip
     * @param correspondence each clip's correspondence probability (the sigmoid of its logit)
     * @param gif the overlay GIF, or null
     */
    public record Result(Path video, int width, int height, List<Peak> peaks, float[] correspondence, Path gif) {}

    /** A hit rate: frames whose peak lies in the sounding object's box, and chance (the box's mean area share). */
    public record Hits(int frames, int hits, double chance) {
        public double rate() {
            return frames == 0 ? Double.NaN : hits / (double) frames;
        }
    }

    private final Path run;
    private final Path video;
    private final Path gif;
    private final int clips;
    private final int scale;

    private AvLocalize(Builder b) {
        this.run = b.run;
        this.video = b.video;
        this.gif = b.gif;
        this.clips = b.clips;
        this.scale = b.scale;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Maps the clips and writes the GIF if asked.
     *
     * @throws IOException naming the run's file that is missing or bad
     * @throws IllegalArgumentException naming the run when it is not a correspondence run
     * @throws dev.kinema.video.VideoDecodeException naming the video when it has no sound or cannot be read
     */
    public Result run() throws IOException {
        try (AudioVisualRun av = AudioVisualRun.open(run, "kinema av-localize")) {
            if (!(av.model().features() instanceof CorrespondenceMaps maps)) {
                throw new IllegalArgumentException(run + ": kinema av-localize needs an av-correspondence run, not "
                        + av.model().name());
            }
            VideoInfo info = VideoProbe.probe(video);
            List<Clip> decoded = av.clips(video, clips);
            List<Peak> peaks = new ArrayList<>();
            List<VideoFrames> overlays = new ArrayList<>();
            float[] correspondence = new float[decoded.size()];
            try (NDManager manager = NDManager.newBaseManager()) {
                ParameterStore store = new ParameterStore(manager, false);
                NDArray batch = av.input().collate().collate(0, decoded).data(manager);
                NDArray sim = maps.similarity(store, batch, false);
                float[] logits = av.model().forward(store, new NDList(batch), false).singletonOrThrow().toFloatArray();
                long[] s = sim.getShape().getShape();
                int mapT = (int) s[1];
                int mapH = (int) s[2];
                int mapW = (int) s[3];
                float[] all = sim.toFloatArray();
                for (int i = 0; i < decoded.size(); i++) {
                    correspondence[i] = (float) (1 / (1 + Math.exp(-logits[i])));
                    Clip clip = decoded.get(i);
                    VideoFrames frames = clip.frames();
                    int plane = mapH * mapW;
                    int base = i * mapT * plane;
                    float[] heat = new float[frames.frames() * frames.height() * frames.width()];
                    float lo = Float.POSITIVE_INFINITY;
                    float hi = Float.NEGATIVE_INFINITY;
                    for (int k = base; k < base + mapT * plane; k++) {
                        lo = Math.min(lo, all[k]);
                        hi = Math.max(hi, all[k]);
                    }
                    for (int t = 0; t < frames.frames(); t++) {
                        int slice = base + Math.min(mapT - 1, t * mapT / frames.frames()) * plane;
                        int best = slice;
                        for (int k = slice; k < slice + plane; k++) {
                            best = all[k] > all[best] ? k : best;
                        }
                        int r = (best - slice) / mapW;
                        int c = (best - slice) % mapW;
                        int[] at = clip.source().frameIndices();
                        peaks.add(new Peak(i, at[t], frames.timestamps() == null ? Double.NaN : frames.timestamp(t),
                                (c + 0.5) / mapW * info.width(), (r + 0.5) / mapH * info.height(), all[best]));
                        upsample(all, slice, mapH, mapW, lo, hi, heat, t, frames.height(), frames.width());
                    }
                    overlays.add(Heatmaps.enlarge(Heatmaps.overlay(frames, heat, 0.5), scale));
                }
            }
            Path written = gif == null ? null : new GifWriter(Math.max(1, av.input().frames() / 2.0)).write(VideoFrames.concat(overlays), gif);
            return new Result(video, info.width(), info.height(), peaks, correspondence, written);
        }
    }

    /** The map slice at {@code from} (h×w), scaled to [0, 1] by lo..hi and bilinearly resized into frame t of {@code out}. */
    private static void upsample(float[] map, int from, int h, int w, float lo, float hi, float[] out, int t, int height,
            int width) {
        double[] slice = new double[h * w];
        for (int p = 0; p < slice.length; p++) {
            slice[p] = map[from + p];
        }
        double[] resized = MapResize.trilinear(slice, 1, h, w, 1, height, width);
        float range = hi > lo ? hi - lo : 1;
        for (int p = 0; p < resized.length; p++) {
            out[t * height * width + p] = (float) ((resized[p] - lo) / range);
        }
    }

    /**
     * The hit rate of {@code peaks} against a {@link SoundingObjects} video's boxes (by frame index),
     * in pixels of the video.
     */
    public static Hits hits(List<Peak> peaks, List<SoundingObjects.FrameBoxes> boxes, int width, int height) {
        int frames = 0;
        int hits = 0;
        double area = 0;
        for (Peak p : peaks) {
            if (p.frameIndex() < 0 || p.frameIndex() >= boxes.size()) {
                continue;
            }
            SoundingObjects.Box sounding = boxes.get(p.frameIndex()).sounding();
            frames++;
            hits += sounding.contains(p.x(), p.y()) ? 1 : 0;
            area += sounding.areaFraction(width, height);
        }
        return new Hits(frames, hits, frames == 0 ? Double.NaN : area / frames);
    }

    public static final class Builder {
        private Path run;
        private Path video;
        private Path gif;
        private int clips = 4;
        private int scale = 4;

        private Builder() {}

        /** The trained correspondence run. */
        public Builder setRun(Path run) {
            this.run = run;
            return this;
        }

        public Builder setVideo(Path video) {
            this.video = video;
            return this;
        }

        /** Where to write the overlay GIF (none by default). */
        public Builder optGif(Path gif) {
            this.gif = gif;
            return this;
        }

        /** Uniformly spaced clips mapped (default 4). */
        public Builder optClips(int clips) {
            if (clips < 1) {
                throw new IllegalArgumentException("clips must be at least 1, got " + clips);
            }
            this.clips = clips;
            return this;
        }

        /** The GIF's enlargement (default 4: 32-pixel clips become 128). */
        public Builder optScale(int scale) {
            if (scale < 1) {
                throw new IllegalArgumentException("the GIF scale must be at least 1, got " + scale);
            }
            this.scale = scale;
            return this;
        }

        public AvLocalize build() {
            if (run == null || video == null) {
                throw new IllegalArgumentException("av-localize needs a run and a video");
            }
            return new AvLocalize(this);
        }
    }
}
