package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kinema pretrain's refusals, before anything is trained; training itself is PretrainTest's (core). */
class PretrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMaskRatioOutsideZeroToOneIsOneClearLine() {
        CliRun r = CliRun.of("pretrain", "--data", dir.toString(), "--out", dir.resolve("run").toString(),
                "--mask-ratio", "1.5");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("the mask ratio must be in (0, 1), got 1.5"), r.err());
    }

    @Test
    void aModelThatIsNotAVideoMaeIsRefusedNamingTheChoices() {
        CliRun r = CliRun.of("pretrain", "--data", dir.toString(), "--out", dir.resolve("run").toString(),
                "--model", "tiny-3d");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("'tiny-3d' is not a VideoMAE model") && r.err().contains("videomae-small"), r.err());
    }

    @Test
    void aFolderWithoutVideosIsNamed() {
        CliRun r = CliRun.of("pretrain", "--data", dir.toString(), "--out", dir.resolve("run").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(dir + ": 0 videos"), r.err());
    }
}
