package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Where every frame of the video stream lives, learned by reading the packets once without
 * decoding them (a few milliseconds for a short clip).
 *
 * <p>Frame {@code i} is the i-th frame in presentation order. Knowing each frame's timestamp and
 * each keyframe's place in decode order is what lets the reader seek straight to the group of
 * pictures that holds a requested frame, and tell which decoded frame is which even when
 * presentation order differs from decode order (B-frames, or files like decord's unordered.mov).
 */
final class FrameIndex {
    /** Presentation timestamps in stream time base, ascending; frame i has pts[i]. */
    final long[] pts;
    /** For each packet in decode order: its pts (or dts where pts is missing). */
    final long[] decodePts;
    /** For each packet in decode order: its dts (AV_NOPTS_VALUE where missing). */
    final long[] decodeDts;
    /** For each packet in decode order: whether it is a keyframe. */
    final boolean[] decodeKey;
    /** Packets the container asked the decoder to drop (edit lists): decoded, never counted as frames. */
    final boolean[] decodeDiscard;
    /** False when timestamps cannot identify frames (missing or repeated): the reader then counts frames. */
    final boolean timestampsReliable;
    /** True when every packet's pts equals its dts: no evidence the container knows presentation order. */
    final boolean ptsEqualsDts;
    final int discarded;
    /** Timestamp just after the last frame (its pts plus its duration). */
    final long end;
    /** Decode positions of the counted packets, sorted by their timestamp, for O(log n) lookups. */
    private final int[] byPts;
    /** Decode positions of the keyframes, ascending. */
    private final int[] keyframes;

    private FrameIndex(long[] pts, long[] decodePts, long[] decodeDts, boolean[] decodeKey,
            boolean[] decodeDiscard, boolean reliable, int discarded, long end) {
        this.pts = pts;
        this.decodePts = decodePts;
        this.decodeDts = decodeDts;
        this.decodeKey = decodeKey;
        this.decodeDiscard = decodeDiscard;
        this.timestampsReliable = reliable;
        boolean same = true;
        for (int i = 0; i < decodePts.length && same; i++) {
            same = decodeDts[i] == AV_NOPTS_VALUE || decodeDts[i] == decodePts[i];
        }
        this.ptsEqualsDts = same;
        this.byPts = java.util.stream.IntStream.range(0, decodePts.length).filter(i -> !decodeDiscard[i]).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer i) -> decodePts[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        this.keyframes = java.util.stream.IntStream.range(0, decodeKey.length).filter(i -> decodeKey[i]).toArray();
        this.discarded = discarded;
        this.end = end;
    }

    /**
     * Whether the frames found reach as far as the container says the stream lasts. A file cut
     * short falls well short; a file with dropped frames (AVI's sparse timestamps) does not.
     */
    boolean covers(long declaredDuration) {
        return pts.length > 0 && end - pts[0] >= 0.95 * declaredDuration;
    }

    int frames() {
        return pts.length;
    }

    /** Presentation index of the frame with timestamp {@code ts}, or -1. */
    int frameAt(long ts) {
        int i = Arrays.binarySearch(pts, ts);
        return i >= 0 ? i : -1;
    }

    /**
     * Reads every packet of {@code stream} from the current position to the end. The caller must
     * rewind the demuxer afterwards.
     */
    static FrameIndex scan(MediaFile file, int stream, Duration timeout) {
        Path path = file.path;
        int capacity = 1024;
        long[] pkPts = new long[capacity];
        long[] pkDts = new long[capacity];
        boolean[] key = new boolean[capacity];
        boolean[] discard = new boolean[capacity];
        int n = 0;
        int discarded = 0;
        long end = Long.MIN_VALUE;
        boolean missingPts = false;
        AVPacket pkt = av_packet_alloc();
        try {
            while (true) {
                Deadline.check(path, timeout, "indexing the video");
                int err = av_read_frame(file.ctx, pkt);
                if (err == AVERROR_EOF) {
                    break;
                }
                if (err < 0) {
                    if (Deadline.passed()) {
                        Deadline.check(path, timeout, "indexing the video");
                    }
                    throw new VideoDecodeException(path, "the file is damaged after " + n
                            + " video packets (" + MediaFile.describe(err) + ")");
                }
                try {
                    if (pkt.stream_index() != stream) {
                        continue;
                    }
                    if (n == capacity) {
                        capacity *= 2;
                        pkPts = Arrays.copyOf(pkPts, capacity);
                        pkDts = Arrays.copyOf(pkDts, capacity);
                        key = Arrays.copyOf(key, capacity);
                        discard = Arrays.copyOf(discard, capacity);
                    }
                    long p = pkt.pts();
                    long d = pkt.dts();
                    if (p == AV_NOPTS_VALUE) {
                        missingPts = true;
                        p = d;
                    }
                    pkPts[n] = p;
                    pkDts[n] = d;
                    key[n] = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                    discard[n] = (pkt.flags() & AV_PKT_FLAG_DISCARD) != 0;
                    if (discard[n]) {
                        discarded++;
                    } else if (p != AV_NOPTS_VALUE) {
                        end = Math.max(end, p + Math.max(pkt.duration(), 0));
                    }
                    n++;
                } finally {
                    av_packet_unref(pkt);
                }
            }
        } finally {
            av_packet_free(pkt);
        }
        long[] presentation = new long[n - discarded];
        int k = 0;
        boolean reliable = !missingPts;
        for (int i = 0; i < n; i++) {
            if (!discard[i]) {
                presentation[k++] = pkPts[i];
                reliable &= pkPts[i] != AV_NOPTS_VALUE;
            }
        }
        Arrays.sort(presentation);
        for (int i = 1; i < presentation.length && reliable; i++) {
            reliable = presentation[i] != presentation[i - 1];
        }
        return new FrameIndex(presentation, Arrays.copyOf(pkPts, n), Arrays.copyOf(pkDts, n),
                Arrays.copyOf(key, n), Arrays.copyOf(discard, n), reliable, discarded, end);
    }

    /**
     * Decode-order position of the last keyframe, at or before decode position {@code packet}, whose
     * timestamp is not after {@code ts}: decoding from there reaches the frame at {@code ts}.
     */
    int keyframeBefore(long ts, int packet) {
        int end = packet < 0 ? decodeKey.length - 1 : packet;
        // The last keyframe at or before `end`, then back while its timestamp is after ts (open GOPs).
        int k = Arrays.binarySearch(keyframes, end);
        k = k >= 0 ? k : -k - 2;
        while (k >= 0 && decodePts[keyframes[k]] > ts) {
            k--;
        }
        return k >= 0 ? keyframes[k] : -1;
    }

    /** Decode-order position of the counted packet holding timestamp {@code ts}, or -1. */
    int packetOf(long ts) {
        int lo = 0;
        int hi = byPts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = decodePts[byPts[mid]];
            if (v < ts) {
                lo = mid + 1;
            } else if (v > ts) {
                hi = mid - 1;
            } else {
                while (mid > 0 && decodePts[byPts[mid - 1]] == ts) {
                    mid--;
                }
                return byPts[mid];
            }
        }
        return -1;
    }
}
