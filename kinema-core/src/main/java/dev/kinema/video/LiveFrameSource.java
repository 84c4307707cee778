package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live input read forward only: a pipe, standard input, a URL or a device, through JavaCV's
 * {@code FFmpegFrameGrabber}. One background thread opens the input and decodes; frames are copied
 * out of FFmpeg's buffer into a bounded queue of {@link LiveOptions#buffer()} frames, which either
 * waits for the consumer or drops the oldest frame ({@link LiveOptions.Overflow}). The consumer's
 * every wait is bounded by {@link LiveOptions#timeout()}: a stalled input is an error naming it,
 * never a hang. Only the decoding thread touches the grabber, so closing never races native code:
 * {@link #close} closes the input stream (which ends a blocked read) and lets that thread release it.
 */
public final class LiveFrameSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFrameSource.class);
    /** Marks the end of the input in the queue. */
    private static final SourceFrame END = new SourceFrame(new byte[0], 0, 0, -1, Double.NaN);

    private final String name;
    private final LiveOptions options;
    private final InputStream stream;
    private final BlockingQueue<SourceFrame> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread decoder;
    private volatile boolean closing;
    private volatile RuntimeException failure;
    private volatile double fps = Double.NaN;
    private boolean ended;

    private LiveFrameSource(String name, InputStream stream, LiveOptions options) {
        this.name = name;
        this.options = options;
        this.stream = stream;
        this.queue = new ArrayBlockingQueue<>(options.buffer() + 1);   // + 1: room for END
        this.decoder = new Thread(this::decode, "kinema-live-" + name);
        this.decoder.setDaemon(true);
    }

    /** {@code "-"} is standard input; anything else is handed to FFmpeg as a URL or device. */
    static LiveFrameSource open(String input, LiveOptions options) {
        return start(new LiveFrameSource(input.equals("-") ? "standard input" : input,
                input.equals("-") ? System.in : null, options));
    }

    /** Frames of the video arriving on {@code stream} (an upload, a socket, a pipe); closed with this source. */
    public static LiveFrameSource open(InputStream stream, String name, LiveOptions options) {
        return start(new LiveFrameSource(name, stream, options));
    }

    private static LiveFrameSource start(LiveFrameSource source) {
        FfmpegRuntime.init();
        source.decoder.start();
        return source;
    }

    private void decode() {
        // 0: an input stream is read forward only, FFmpeg never seeks back in it.
        FFmpegFrameGrabber grabber = stream != null ? new FFmpegFrameGrabber(stream, 0) : new FFmpegFrameGrabber(name);
        try {
            grabber.setPixelFormat(AV_PIX_FMT_RGB24);
            if (options.format() != null) {
                grabber.setFormat(options.format());
            }
            // Network protocols give up on a silent peer by themselves (microseconds).
            grabber.setOption("rw_timeout", Long.toString(options.timeout().toMillis() * 1000));
            grabber.start();
            int[] out = options.size().resolve(grabber.getImageWidth(), grabber.getImageHeight());
            if (out[0] != grabber.getImageWidth() || out[1] != grabber.getImageHeight()) {
                grabber.setImageWidth(out[0]);
                grabber.setImageHeight(out[1]);
            }
            fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : Double.NaN;
            long index = 0;
            while (!closing) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    break;
                }
                put(copy(frame, index++));
            }
        } catch (Exception | LinkageError e) {
            if (!closing) {
                failure = new VideoDecodeException(name, "cannot decode the input ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
            }
        } finally {
            try {
                grabber.release();
            } catch (Exception e) {
                LOG.debug("releasing {}", name, e);
            }
            queue.offer(END);   // room is kept for it
        }
    }

    /** A copy of the grabbed frame's pixels: the grabber reuses its buffer for the next frame. */
    private static SourceFrame copy(Frame frame, long index) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        byte[] rgb = new byte[w * h * VideoFrames.CHANNELS];
        for (int y = 0; y < h; y++) {
            pixels.position(y * stride);
            pixels.get(rgb, y * w * VideoFrames.CHANNELS, w * VideoFrames.CHANNELS);
        }
        return new SourceFrame(rgb, h, w, index, frame.timestamp > 0 ? frame.timestamp / 1e6 : index == 0 ? 0 : Double.NaN);
    }

    private void put(SourceFrame frame) throws InterruptedException {
        if (options.overflow() == LiveOptions.Overflow.DROP_OLDEST) {
            while (queue.remainingCapacity() <= 1) {   // keep one place for END
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
            queue.put(frame);
            return;
        }
        while (!closing && queue.remainingCapacity() <= 1) {
            Thread.sleep(2);   // BLOCK: the consumer is behind; FFmpeg waits, and so does a pipe's writer
        }
        queue.put(frame);
    }

    @Override
    public Optional<SourceFrame> next() {
        if (ended) {
            return Optional.empty();
        }
        SourceFrame f;
        try {
            f = queue.poll(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VideoDecodeException(name, "interrupted while waiting for a frame", e);
        }
        if (f == null) {
            throw new VideoDecodeException(name, "no frame in " + options.timeout().toMillis() / 1000.0
                    + " s (LiveOptions.optTimeout); the input stalled", null);
        }
        if (f == END) {
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return Optional.empty();
        }
        return Optional.of(f);
    }

    @Override
    public String name() {
        return name;
    }

    /** The rate the input declares, once it is open; NaN before, or when it declares none. */
    @Override
    public double fps() {
        return fps;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closing = true;
        queue.clear();   // a decoder waiting for room can finish
        if (stream != null) {
            try {
                stream.close();   // ends a read blocked on a silent pipe
            } catch (IOException e) {
                LOG.debug("closing {}", name, e);
            }
        }
        try {
            decoder.join(options.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (decoder.isAlive()) {
            // Still inside FFmpeg on a silent network input; it ends at FFmpeg's rw_timeout and
            // releases the grabber itself. Never release it from here, under its feet.
            LOG.warn("{}: the decoder is still waiting for the input; it stops on its own", name);
        }
    }
}
