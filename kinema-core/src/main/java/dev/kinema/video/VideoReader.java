package dev.kinema.video;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/** API skeleton: the implementation lands in the next commit. */
public final class VideoReader implements AutoCloseable {
    public static VideoReader open(Path file) {
        return open(file, ReaderOptions.defaults());
    }

    public static VideoReader open(Path file, ReaderOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    public VideoInfo info() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Frames in presentation order. */
    public int frameCount() {
        throw new UnsupportedOperationException("not yet");
    }

    public double fps() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The frames at {@code indices} (presentation order; repeats and any order allowed), as requested. */
    public VideoFrames read(int... indices) {
        throw new UnsupportedOperationException("not yet");
    }

    /** T×C×H×W; FLOAT32 in [0, 1] or UINT8 in [0, 255]. */
    public NDArray readTensor(NDManager manager, DataType type, int... indices) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() {}
}
