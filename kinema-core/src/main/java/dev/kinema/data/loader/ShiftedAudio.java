package dev.kinema.data.loader;

import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A clip's sound taken from another time of the same video: the negatives of audio-visual
 * synchronisation (Owens and Efros 2018; Korbar et al. 2018's hard negatives, shifted within the
 * same video) and the candidate offsets of an offset search. The clip keeps its frames; its
 * {@link Clip#audio} becomes the sound of its time span moved by the shift, and its
 * {@link Clip#segments} record both spans, the frames' (label {@link #FRAMES_SPAN}) and the sound's
 * (label {@link #AUDIO_SPAN}), so whoever gets the batch knows the shift ({@link #shiftOf}).
 */
public final class ShiftedAudio {
    /** The label of the segment that is the frames' time span. */
    public static final int FRAMES_SPAN = 0;
    /** The label of the segment that is the time span of the sound the clip carries. */
    public static final int AUDIO_SPAN = 1;

    private static final int CACHED_TRACKS = 32;
    private static final Map<String, AudioTrack> TRACKS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AudioTrack> eldest) {
            return size() > CACHED_TRACKS;
        }
    };

    private ShiftedAudio() {}

    /**
     * {@code clip} carrying the sound of its span moved by {@code shiftSeconds} (later when
     * positive), cut from the video's whole mono {@code track}; null when the moved span leaves the
     * track.
     */
    public static Clip shift(Clip clip, AudioTrack track, double shiftSeconds) {
        Clip.Source s = clip.source();
        if (!fits(s, track, shiftSeconds)) {
            return null;
        }
        int rate = track.sampleRate();
        int from = Math.min(track.length(), (int) Math.round((s.startSeconds() + shiftSeconds) * rate));
        int to = Math.min(track.length(), Math.max(from, (int) Math.round((s.endSeconds() + shiftSeconds) * rate)));
        AudioTrack cut = new AudioTrack(new float[][] {Arrays.copyOfRange(track.samples()[0], from, to)}, rate);
        return clip.withAudio(cut).withSegments(List.of(new Clip.Segment(s.startSeconds(), s.endSeconds(), FRAMES_SPAN),
                new Clip.Segment(s.startSeconds() + shiftSeconds, s.endSeconds() + shiftSeconds, AUDIO_SPAN)));
    }

    /**
     * Whether the clip's span moved by {@code shiftSeconds} lies in the track, all but at most a tenth
     * of it at the end (a video's sound often ends a little before its picture; that rest is padded
     * with silence when packed, as {@code audio.PackedAudio} pads a short span). No more: a shifted
     * sound that runs into silence the aligned ones never have is told apart by the silence, not the
     * timing (with half allowed, a 4 s video's 2 s shift was caught every time for that reason).
     */
    public static boolean fits(Clip.Source source, AudioTrack track, double shiftSeconds) {
        double start = source.startSeconds() + shiftSeconds;
        double end = source.endSeconds() + shiftSeconds;
        double inside = Math.min(end, track.durationSeconds()) - Math.max(start, 0);
        return inside >= (1 - MAX_PADDED_SHARE) * (end - start) - 1e-9 && start >= -1e-9;
    }

    /** The share of a shifted span that may lie past the track's end, padded with silence. */
    static final double MAX_PADDED_SHARE = 0.1;

    /**
     * The shift a clip's segments record: the sound's start minus the frames' start, in seconds.
     *
     * @throws IllegalArgumentException when the segments are not a {@link #shift}ed clip's
     */
    public static double shiftOf(List<Clip.Segment> segments) {
        Clip.Segment frames = null;
        Clip.Segment audio = null;
        for (Clip.Segment s : segments) {
            if (s.label() == FRAMES_SPAN) {
                frames = s;
            } else if (s.label() == AUDIO_SPAN) {
                audio = s;
            }
        }
        if (frames == null || audio == null) {
            throw new IllegalArgumentException("the clip's segments " + segments + " do not record its frames' and its"
                    + " sound's spans (decode it through ShiftedAudio)");
        }
        return audio.startSeconds() - frames.startSeconds();
    }

    /**
     * The whole mono sound of {@code video} at {@code sampleRate}, kept for the last few videos
     * (a training epoch asks for each video's track once per clip).
     */
    public static AudioTrack trackOf(Path video, int sampleRate) {
        String key = video.toAbsolutePath() + "@" + sampleRate;
        synchronized (TRACKS) {
            AudioTrack cached = TRACKS.get(key);
            if (cached != null) {
                return cached;
            }
        }
        AudioTrack track = AudioReader.read(video, sampleRate, true);
        synchronized (TRACKS) {
            TRACKS.put(key, track);
        }
        return track;
    }

    /**
     * The training pairs of synchronisation: each clip keeps its own sound (aligned) with
     * probability 1/2, else gets the sound moved by a shift drawn uniformly among those of
     * magnitude in [{@code minShift}, {@code maxShift}] that keep it inside the video; a clip whose
     * video is too short for any stays aligned.
     */
    public static FieldTransform random(double minShift, double maxShift) {
        if (!(minShift > 0 && maxShift >= minShift)) {
            throw new IllegalArgumentException("shifts need 0 < min <= max, got " + minShift + " and " + maxShift);
        }
        return FieldTransform.of("shifted audio: aligned or shifted by " + minShift + " to " + maxShift + " s",
                EnumSet.of(Clip.Field.AUDIO, Clip.Field.SEGMENTS), (clip, rng) -> {
                    AudioTrack track = trackOf(clip);
                    boolean aligned = rng.nextBoolean();
                    double u = rng.nextDouble();
                    double shift = aligned ? 0 : drawShift(clip.source(), track, minShift, maxShift, u);
                    return shift(clip, track, shift);
                });
    }

    /** Every clip's sound moved by {@code shiftSeconds} if it stays in the video, else kept (and recorded as shift 0). */
    public static FieldTransform fixed(double shiftSeconds) {
        return FieldTransform.of("audio shifted by " + shiftSeconds + " s", EnumSet.of(Clip.Field.AUDIO, Clip.Field.SEGMENTS),
                (clip, rng) -> {
                    AudioTrack track = trackOf(clip);
                    Clip out = shift(clip, track, shiftSeconds);
                    return out != null ? out : shift(clip, track, 0);
                });
    }

    /**
     * A shift uniform over the feasible ones of magnitude [min, max] (later ones and earlier ones
     * alike), from the uniform draw {@code u}; 0 when there is none.
     */
    static double drawShift(Clip.Source s, AudioTrack track, double min, double max, double u) {
        double later = Math.max(0, Math.min(max, track.durationSeconds() - s.endSeconds()) - min);
        double earlier = Math.max(0, Math.min(max, s.startSeconds()) - min);
        double total = later + earlier;
        if (total <= 0) {
            return 0;
        }
        double at = u * total;
        return at < later ? min + at : -(min + at - later);
    }

    private static AudioTrack trackOf(Clip clip) {
        int rate = clip.audio() != null ? clip.audio().sampleRate() : 16_000;
        return trackOf(clip.source().video(), rate);
    }
}
