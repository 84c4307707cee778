package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes the audio track of a file (a video's, or a plain audio file's) to float PCM at a chosen
 * sample rate, resampled by FFmpeg's swresample.
 *
 * <p>Mono is the plain average of the channels, done here rather than by swresample's downmix
 * matrix so that it is obvious and the same for every channel layout.
 */
public final class AudioReader {
    private static final int EAGAIN = -11;

    private AudioReader() {}

    /** The whole audio track at {@code sampleRate}, mono or one array per channel. */
    public static AudioTrack read(Path file, int sampleRate, boolean mono) {
        return read(file, sampleRate, mono, Duration.ofSeconds(120));
    }

    public static AudioTrack read(Path file, int sampleRate, boolean mono, Duration timeout) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        try (MediaFile media = MediaFile.open(file, timeout)) {
            int stream = av_find_best_stream(media.ctx, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
            if (stream < 0) {
                throw new VideoDecodeException(file, "no audio stream");
            }
            for (int i = 0; i < media.ctx.nb_streams(); i++) {
                if (i != stream) {
                    media.ctx.streams(i).discard(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL);
                }
            }
            Deadline.start(timeout);
            try {
                return decode(media, stream, sampleRate, mono, timeout);
            } finally {
                Deadline.clear();
            }
        }
    }

    private static AudioTrack decode(MediaFile media, int stream, int sampleRate, boolean mono, Duration timeout) {
        Path file = media.path;
        var par = media.ctx.streams(stream).codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null) {
            throw new VideoDecodeException(file, "no decoder for audio codec " + avcodec_get_name(par.codec_id()).getString());
        }
        AVCodecContext dec = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        AVChannelLayout outLayout = new AVChannelLayout();
        // Passed as SwrContext** (JavaCPP's by-pointer-pointer form): it must start out null.
        SwrContext swr = new SwrContext(null);
        PcmBuffer pcm = null;
        try {
            avcodec_parameters_to_context(dec, par);
            dec.pkt_timebase(media.ctx.streams(stream).time_base());
            int err = avcodec_open2(dec, codec, (PointerPointer<?>) null);
            if (err < 0) {
                throw new VideoDecodeException(file, "cannot open the audio decoder (" + MediaFile.describe(err) + ")");
            }
            int channels = dec.ch_layout().nb_channels();
            if (channels <= 0) {
                throw new VideoDecodeException(file, "the audio stream has no channels");
            }
            av_channel_layout_default(outLayout, channels);
            err = swr_alloc_set_opts2(swr, outLayout, AV_SAMPLE_FMT_FLTP, sampleRate,
                    dec.ch_layout(), dec.sample_fmt(), dec.sample_rate(), 0, null);
            if (err < 0 || swr.isNull() || swr_init(swr) < 0) {
                throw new VideoDecodeException(file, "cannot resample audio from " + dec.sample_rate() + " Hz to "
                        + sampleRate + " Hz");
            }
            pcm = new PcmBuffer(channels);
            boolean draining = false;
            while (true) {
                Deadline.check(file, timeout, "decoding audio");
                if (!draining) {
                    err = av_read_frame(media.ctx, pkt);
                    if (err == AVERROR_EOF) {
                        draining = true;
                        avcodec_send_packet(dec, null);
                    } else if (err < 0) {
                        throw new VideoDecodeException(file, "the file is damaged (" + MediaFile.describe(err) + ")");
                    } else {
                        try {
                            if (pkt.stream_index() == stream) {
                                // A damaged audio packet is dropped, as players do; it is not worth failing a video over.
                                avcodec_send_packet(dec, pkt);
                            }
                        } finally {
                            av_packet_unref(pkt);
                        }
                    }
                }
                int got;
                while ((got = avcodec_receive_frame(dec, frame)) >= 0) {
                    try {
                        pcm.convert(swr, frame.extended_data(), frame.nb_samples());
                    } finally {
                        av_frame_unref(frame);
                    }
                }
                if (got == AVERROR_EOF || (draining && got != EAGAIN)) {
                    break;
                }
            }
            pcm.convert(swr, null, 0); // swresample holds back a few samples until flushed
            float[][] samples = pcm.toArrays();
            return new AudioTrack(mono ? new float[][] {average(samples)} : samples, sampleRate);
        } finally {
            if (pcm != null) {
                pcm.close();
            }
            if (!swr.isNull()) {
                swr_free(swr);
            }
            av_channel_layout_uninit(outLayout);
            outLayout.close();
            av_frame_free(frame);
            av_packet_free(pkt);
            avcodec_free_context(dec);
        }
    }

    private static float[] average(float[][] channels) {
        float[] out = new float[channels[0].length];
        for (float[] ch : channels) {
            for (int i = 0; i < out.length; i++) {
                out[i] += ch[i];
            }
        }
        float inv = 1f / channels.length;
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    /** Growable per-channel float storage fed by swresample. */
    private static final class PcmBuffer implements AutoCloseable {
        private final int channels;
        private float[][] data;
        private int length;
        private FloatPointer[] planes;
        private PointerPointer<FloatPointer> planePointers;
        private int capacity;

        PcmBuffer(int channels) {
            this.channels = channels;
            this.data = new float[channels][1 << 16];
        }

        void convert(SwrContext swr, PointerPointer<?> in, int inSamples) {
            int max = swr_get_out_samples(swr, inSamples);
            if (max <= 0) {
                return;
            }
            ensurePlanes(max);
            int n = swr_convert(swr, planePointers, max, in, inSamples);
            if (n <= 0) {
                return;
            }
            if (length + n > data[0].length) {
                int grown = Math.max(data[0].length * 2, length + n);
                for (int c = 0; c < channels; c++) {
                    data[c] = Arrays.copyOf(data[c], grown);
                }
            }
            for (int c = 0; c < channels; c++) {
                planes[c].position(0).get(data[c], length, n);
            }
            length += n;
        }

        private void ensurePlanes(int samples) {
            if (samples <= capacity) {
                return;
            }
            close();
            capacity = Math.max(samples, 4096);
            planes = new FloatPointer[channels];
            planePointers = new PointerPointer<>(channels);
            for (int c = 0; c < channels; c++) {
                planes[c] = new FloatPointer(capacity);
                planePointers.put(c, planes[c]);
            }
        }

        float[][] toArrays() {
            float[][] out = new float[channels][];
            for (int c = 0; c < channels; c++) {
                out[c] = Arrays.copyOf(data[c], length);
            }
            return out;
        }

        @Override
        public void close() {
            if (planes != null) {
                for (FloatPointer p : planes) {
                    p.close();
                }
                planePointers.close();
                planes = null;
            }
        }
    }
}
