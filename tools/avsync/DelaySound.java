import dev.kinema.video.AudioReader;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.video.VideoWriter;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Re-encodes a video with its sound DELAY seconds late (silence first, the end cut), as
 * AvSyncSearchTest.writeDelayed does: a synthetic video with a known offset for kinema av-sync.
 * Usage (from the repository, after a build):
 * java -cp "$(ls kinema-core/target/kinema-core-*.jar | grep -v tests):$(cat kinema-cli/target/classpath.txt)" \
 *     tools/avsync/DelaySound.java IN.mp4 OUT.mp4 DELAY_SECONDS
 */
public class DelaySound {
    public static void main(String[] a) {
        if (a.length != 3) {
            System.err.println("usage: DelaySound IN.mp4 OUT.mp4 DELAY_SECONDS (the sound moved later by DELAY_SECONDS)");
            System.exit(2);
        }
        Path from = Path.of(a[0]), to = Path.of(a[1]);
        double delay = Double.parseDouble(a[2]);
        float[] sound = AudioReader.read(from, 16_000, true).samples()[0];
        float[] late = new float[sound.length];
        int shift = (int) Math.round(delay * 16_000);
        System.arraycopy(sound, 0, late, shift, sound.length - shift);
        try (VideoReader reader = VideoReader.open(from);
                VideoWriter writer = VideoWriter.builder(to).setSize(reader.outputWidth(), reader.outputHeight())
                        .optFps(reader.fps()).optAudio(16_000, 1).build()) {
            VideoFrames frames = reader.read(IntStream.range(0, reader.frameCount()).toArray());
            writer.writeFrames(frames);
            writer.writeAudio(late);
        }
    }
}
