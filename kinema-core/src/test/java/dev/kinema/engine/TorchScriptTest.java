package dev.kinema.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript model {@code tools/golden/torchscript_tiny.py} traced with torch 1.13, run by libtorch 2.7.1. */
class TorchScriptTest {
    @TempDir
    Path tmp;

    @Test
    void reproducesTorchLogits() throws Exception {
        FloatTensor x = Npy.read(golden("tiny_video_input.npy"));
        FloatTensor expected = Npy.read(golden("tiny_video_logits.npy"));
        assertEquals(3, TorchScript.formatVersion(golden("tiny_video.pt")));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = TorchScript.load(golden("tiny_video.pt"), manager);
            NDArray y = model.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(x.data(), new Shape(x.shape()))), false).singletonOrThrow();
            assertArrayEquals(expected.shape(), y.getShape().getShape());
            float[] got = y.toFloatArray();
            float worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expected.data()[i]));
            }
            assertTrue(worst <= 1e-5, "max |diff| " + worst + ": " + Arrays.toString(got));
        }
    }

    @Test
    void filesThatAreNotTorchScriptGiveOneLineNamingThem() throws Exception {
        Path stateDict = golden("state_dict.pt");
        assertRefused(stateDict, "a torch.save checkpoint (a state_dict or a pickled module), not TorchScript");
        Path pickle = golden("legacy_pickle.pt");
        assertRefused(pickle, "not a TorchScript file (not a complete zip archive");
        byte[] whole = Files.readAllBytes(golden("tiny_video.pt"));
        Path truncated = Files.write(tmp.resolve("truncated.pt"), Arrays.copyOf(whole, whole.length / 2));
        assertRefused(truncated, "not a TorchScript file (not a complete zip archive");
        Path text = Files.writeString(tmp.resolve("text.pt"), "not a model");
        assertRefused(text, "not a TorchScript file");
        assertThrows(IOException.class, () -> TorchScript.formatVersion(tmp.resolve("missing.pt")));
    }

    /**
     * A file from a torch whose format is newer than libtorch 2.7.1 reads: the golden model with its
     * version record raised to 99 (everything else as torch 1.13 wrote it) is refused by libtorch,
     * and Kinema passes its reason on in one line naming the file.
     */
    @Test
    void aNewerFileFormatIsRefusedWithLibtorchsReason() throws Exception {
        Path newer = tmp.resolve("newer.pt");
        try (ZipFile in = new ZipFile(golden("tiny_video.pt").toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(newer))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("/version")) {
                    data = "99\n".getBytes(StandardCharsets.US_ASCII);
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                copy.setCrc(crc.getValue());
                out.putNextEntry(copy);
                out.write(data);
                out.closeEntry();
            }
        }
        assertEquals(99, TorchScript.formatVersion(newer));
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchScript.load(newer, manager));
            assertTrue(e.getMessage().startsWith(newer + ": libtorch 2.7.1 cannot load this TorchScript file: "), e.getMessage());
            assertTrue(e.getMessage().contains("version 99"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    private static void assertRefused(Path file, String reason) {
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchScript.load(file, manager));
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(TorchScriptTest.class.getResource("/golden/torchscript/" + name).toURI());
    }
}
