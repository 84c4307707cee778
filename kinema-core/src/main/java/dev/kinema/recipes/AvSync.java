package dev.kinema.recipes;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipCollate;
import dev.kinema.data.loader.ShiftedAudio;
import dev.kinema.video.AudioTrack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offset of a video's sound, estimated with a trained synchronisation run ({@code av-sync-net}
 * on the {@code av-sync} task): uniformly spaced clips of the video are paired with the sound of
 * their span moved by each candidate offset of a grid, the run scores each pair (the sigmoid of its
 * logit: the probability that they are in sync), and the offset of the highest mean score is the
 * estimate. A positive offset means the sound comes late: what is seen at t is heard at t + offset.
 *
 * <p>Every offset is scored on the same clips: those whose span moved by any offset of the grid
 * stays inside the sound; when the video is too short for any such clip, each offset takes the
 * clips it fits.
 *
 * <pre>{@code
 * AvSync.Result r = AvSync.builder().setRun(Path.of("runs/sync")).setVideo(Path.of("clip.mp4")).build().run();
 * System.out.println(r.offsetSeconds());
 * }</pre>
 */
public final class AvSync {
    /** Scores pairs of frames and sound: one value per clip, higher when more in sync. */
    @FunctionalInterface
    public interface PairScorer {
        float[] score(List<Clip> clips);
    }

    /**
     * The estimate and its evidence.
     *
     * @param offsetSeconds the offset of the highest score (the one nearest 0 among equals)
     * @param offsets the candidate offsets, ascending
     * @param scores the mean score at each offset (NaN where no clip fits)
     * @param clips the clips scored at every offset (or, for a short video, the most at any)
     */
    public record Result(Path video, double offsetSeconds, double[] offsets, double[] scores, int clips) {
        /** The score at the estimate. */
        public double peakScore() {
            for (int i = 0; i < offsets.length; i++) {
                if (offsets[i] == offsetSeconds) {
                    return scores[i];
                }
            }
            return Double.NaN;
        }
    }

    private final Path run;
    private final Path video;
    private final double maxShift;
    private final double step;
    private final int clips;

    private AvSync(Builder b) {
        this.run = b.run;
        this.video = b.video;
        this.maxShift = b.maxShift;
        this.step = b.step;
        this.clips = b.clips;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores the grid with the run.
     *
     * @throws IOException naming the run's file that is missing or bad
     * @throws dev.kinema.video.VideoDecodeException naming the video when it has no sound or cannot be read
     */
    public Result run() throws IOException {
        try (AudioVisualRun av = AudioVisualRun.open(run, "kinema av-sync")) {
            List<Clip> decoded = av.clips(video, clips);
            ClipCollate collate = av.input().collate();
            PairScorer scorer = pairs -> {
                try (NDManager manager = NDManager.newBaseManager()) {
                    float[] logits = av.model().forward(new ParameterStore(manager, false),
                            new NDList(collate.collate(0, pairs).data(manager)), false).singletonOrThrow().toFloatArray();
                    float[] p = new float[logits.length];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = (float) (1 / (1 + Math.exp(-logits[i])));
                    }
                    return p;
                }
            };
            return search(video, decoded, ShiftedAudio.trackOf(video, decoded.get(0).audio().sampleRate()),
                    grid(maxShift, step), scorer);
        }
    }

    /** Offsets from −max to +max by {@code step}, with 0 among them. */
    public static double[] grid(double maxShift, double step) {
        if (!(maxShift > 0) || !(step > 0) || step > maxShift) {
            throw new IllegalArgumentException("the offset grid needs 0 < step <= max shift, got step " + step + " and max "
                    + maxShift);
        }
        int n = (int) Math.floor(maxShift / step + 1e-9);
        double[] out = new double[2 * n + 1];
        for (int i = -n; i <= n; i++) {
            out[i + n] = Math.round(i * step * 1e6) / 1e6;
        }
        return out;
    }

    /**
     * The search itself, for any scorer: each offset's mean score over the clips that fit (see the
     * class comment), and the best offset (nearest 0 among equal scores).
     */
    public static Result search(Path video, List<Clip> clips, AudioTrack track, double[] offsets, PairScorer scorer) {
        List<Clip> everywhere = new ArrayList<>();
        for (Clip c : clips) {
            if (ShiftedAudio.fits(c.source(), track, offsets[0]) && ShiftedAudio.fits(c.source(), track, offsets[offsets.length - 1])) {
                everywhere.add(c);
            }
        }
        List<Clip> candidates = everywhere.isEmpty() ? clips : everywhere;
        double[] scores = new double[offsets.length];
        int most = 0;
        double best = Double.NEGATIVE_INFINITY;
        double estimate = Double.NaN;
        for (int i = 0; i < offsets.length; i++) {
            List<Clip> pairs = new ArrayList<>();
            for (Clip c : candidates) {
                Clip shifted = ShiftedAudio.shift(c, track, offsets[i]);
                if (shifted != null) {
                    pairs.add(shifted);
                }
            }
            most = Math.max(most, pairs.size());
            scores[i] = pairs.isEmpty() ? Double.NaN : mean(scorer.score(pairs));
            boolean better = scores[i] > best || scores[i] == best && Math.abs(offsets[i]) < Math.abs(estimate);
            if (better) {
                best = scores[i];
                estimate = offsets[i];
            }
        }
        if (Double.isNaN(estimate)) {
            throw new IllegalArgumentException(video + ": no clip of " + clips.size() + " fits any offset: the sound is"
                    + " shorter than a clip");
        }
        return new Result(video, estimate, offsets.clone(), scores, most);
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    public static final class Builder {
        private Path run;
        private Path video;
        private double maxShift = 2.0;
        private double step = 0.1;
        private int clips = 8;

        private Builder() {}

        /** The trained synchronisation run. */
        public Builder setRun(Path run) {
            this.run = run;
            return this;
        }

        public Builder setVideo(Path video) {
            this.video = video;
            return this;
        }

        /** The largest offset tried either way, seconds (default 2). */
        public Builder optMaxShift(double seconds) {
            this.maxShift = seconds;
            return this;
        }

        /** The grid's step, seconds (default 0.1). */
        public Builder optStep(double seconds) {
            this.step = seconds;
            return this;
        }

        /** Clips of the video scored at each offset (default 8). */
        public Builder optClips(int clips) {
            if (clips < 1) {
                throw new IllegalArgumentException("clips must be at least 1, got " + clips);
            }
            this.clips = clips;
            return this;
        }

        public AvSync build() {
            if (run == null || video == null) {
                throw new IllegalArgumentException("av-sync needs a run and a video");
            }
            grid(maxShift, step);
            return new AvSync(this);
        }
    }
}
