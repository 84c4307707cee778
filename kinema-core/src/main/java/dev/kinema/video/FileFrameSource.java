package dev.kinema.video;

import java.util.Optional;

/**
 * A video file as a {@link FrameSource}: {@link VideoReader} underneath, read a few frames at a
 * time in order (so the reader decodes sequentially, without seeking), and able to jump with
 * {@link #seek}.
 */
public final class FileFrameSource implements FrameSource {
    /** Frames decoded per read: enough to amortise a read's set-up, few enough to keep memory small. */
    private static final int CHUNK = 8;

    private final VideoReader reader;
    private VideoFrames chunk;
    private int chunkStart;
    private int position;

    FileFrameSource(VideoReader reader) {
        this.reader = reader;
    }

    @Override
    public Optional<SourceFrame> next() {
        if (position >= reader.frameCount()) {
            return Optional.empty();
        }
        if (chunk == null || position >= chunkStart + chunk.frames() || position < chunkStart) {
            int n = Math.min(CHUNK, reader.frameCount() - position);
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) {
                indices[i] = position + i;
            }
            chunk = reader.read(indices);
            chunkStart = position;
        }
        int t = position - chunkStart;
        position++;
        return Optional.of(new SourceFrame(chunk.frame(t), chunk.height(), chunk.width(), chunk.sourceIndex(t),
                chunk.timestamp(t)));
    }

    /** Makes {@code frame} the next one {@link #next} returns. */
    public void seek(int frame) {
        if (frame < 0 || frame > reader.frameCount()) {
            throw new IllegalArgumentException("frame " + frame + " is outside 0.." + reader.frameCount());
        }
        position = frame;
    }

    /** The frames in the file. */
    public int frameCount() {
        return reader.frameCount();
    }

    @Override
    public String name() {
        return reader.info().path().toString();
    }

    @Override
    public double fps() {
        return reader.fps();
    }

    @Override
    public void close() {
        reader.close();
    }
}
