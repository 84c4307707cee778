package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end parity check: weights, input and logits that PyTorch made
 * (tools/golden/weights_e2e.py), and {@code kinema run-model} must reproduce the logits.
 */
class RunModelCommandTest {
    @TempDir
    static Path tmp;

    static Path weights;
    static Path input;
    static Path logits;

    @BeforeAll
    static void copyGoldenFiles() throws IOException {
        weights = golden("tiny3d.safetensors");
        input = golden("tiny3d_input.npy");
        logits = golden("tiny3d_logits.npy");
    }

    /** A committed golden file copied to a plain file (the resources may sit inside a jar). */
    static Path golden(String name) throws IOException {
        try (InputStream in = RunModelCommandTest.class.getResourceAsStream("/golden/weights/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/weights/" + name);
            }
            Path out = tmp.resolve(name);
            Files.copy(in, out);
            return out;
        }
    }

    @Test
    void reproducesPytorchLogits() throws IOException {
        Path out = tmp.resolve("y.npy");
        CliRun run = CliRun.of("run-model", "--model", "tiny-3d", "--weights", weights.toString(), "--input",
                input.toString(), "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        FloatTensor expected = Npy.read(logits);
        FloatTensor actual = Npy.read(out);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = 0;
        for (int i = 0; i < expected.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(maxDiff <= 1e-4, "max |diff| " + maxDiff);
        assertTrue(run.out().contains("5 classes from the weights' classifier"), run.out());
        assertTrue(run.out().contains("input 2x3x4x18x18 -> output 2x5"), run.out());
        assertTrue(run.out().contains("12 tensors loaded, 2 num_batches_tracked ignored"), run.out());
    }

    @Test
    void aMismatchIsListedByNameUnlessLenient() throws IOException {
        Path out = tmp.resolve("y7.npy");
        CliRun strict = CliRun.of("run-model", "--model", "tiny-3d", "--classes", "7", "--weights", weights.toString(),
                "--input", input.toString(), "--output", out.toString());
        assertEquals(2, strict.exitCode());
        assertTrue(strict.err().contains("fc.weight: model 7x16, file 5x16"), strict.err());
        assertTrue(strict.err().contains("fc.bias: model 7, file 5"), strict.err());
        assertTrue(Files.notExists(out));

        CliRun lenient = CliRun.of("run-model", "--model", "tiny-3d", "--classes", "7", "--lenient", "--weights",
                weights.toString(), "--input", input.toString(), "--output", out.toString());
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertArrayEquals(new long[] {2, 7}, Npy.read(out).shape());
        assertTrue(lenient.err().contains("loaded leniently") && lenient.err().contains("fc.weight"), lenient.err());
    }

    @Test
    void badFilesAndOptionsGiveOneClearLine() throws IOException {
        Path out = tmp.resolve("bad.npy");
        Path flat = Npy.write(tmp.resolve("flat.npy"), new FloatTensor(new long[] {2, 3}, new float[6]));
        CliRun notFiveD = CliRun.of("run-model", "--model", "tiny-3d", "--weights", weights.toString(), "--input",
                flat.toString(), "--output", out.toString());
        assertEquals(2, notFiveD.exitCode());
        assertTrue(notFiveD.err().contains(flat + ": the input must be N x C x T x H x W, got 2x3"), notFiveD.err());

        Path empty = Npy.write(tmp.resolve("empty.npy"), new FloatTensor(new long[] {0, 3, 8, 32, 32}, new float[0]));
        CliRun noClips = CliRun.of("run-model", "--model", "tiny-3d", "--weights", weights.toString(), "--input",
                empty.toString(), "--output", out.toString());
        assertEquals(2, noClips.exitCode(), noClips.err());
        assertEquals("kinema: " + empty + ": the input 0x3x8x32x32 is empty; it needs at least one clip",
                noClips.err().strip());

        CliRun folder = CliRun.of("run-model", "--model", "tiny-3d", "--weights", tmp.toString(), "--input",
                input.toString(), "--output", out.toString());
        assertEquals(2, folder.exitCode());
        assertEquals("kinema: --weights " + tmp + ": is a folder, not a file", folder.err().strip());

        Path broken = Files.write(tmp.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        CliRun badWeights = CliRun.of("run-model", "--model", "tiny-3d", "--weights", broken.toString(), "--input",
                input.toString(), "--output", out.toString());
        assertEquals(2, badWeights.exitCode());
        assertTrue(badWeights.err().contains(broken + ": only 3 bytes"), badWeights.err());

        CliRun mapping = CliRun.of("run-model", "--model", "tiny-3d", "--mapping", "caffe", "--weights",
                weights.toString(), "--input", input.toString(), "--output", out.toString());
        assertEquals(2, mapping.exitCode());
        assertTrue(mapping.err().contains("unknown mapping 'caffe'"), mapping.err());

        CliRun model = CliRun.of("run-model", "--model", "c3d", "--weights", weights.toString(), "--input",
                input.toString(), "--output", out.toString());
        assertEquals(2, model.exitCode());
        assertTrue(Files.notExists(out));
    }
}
