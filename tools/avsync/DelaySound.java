import dev.kinema.synth.DelayedSound;
import java.nio.file.Path;

/**
 * Re-encodes a video with its sound DELAY seconds late (silence first, the end cut), through
 * dev.kinema.synth.DelayedSound: a synthetic video with a known offset for kinema av-sync.
 * Usage (from the repository, after a build):
 * java -cp "$(ls kinema-core/target/kinema-core-*.jar | grep -v tests):$(cat kinema-cli/target/classpath.txt)" \
 *     tools/avsync/DelaySound.java IN.mp4 OUT.mp4 DELAY_SECONDS
 */
public class DelaySound {
    public static void main(String[] a) throws Exception {
        if (a.length != 3) {
            System.err.println("usage: DelaySound IN.mp4 OUT.mp4 DELAY_SECONDS (the sound moved later by DELAY_SECONDS)");
            System.exit(2);
        }
        DelayedSound.write(Path.of(a[0]), Path.of(a[1]), Double.parseDouble(a[2]));
    }
}
